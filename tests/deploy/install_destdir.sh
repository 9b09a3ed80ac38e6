#!/usr/bin/env bash
# scripts/install.sh staged into a temporary directory (--destdir, --binary BINARY): the binary,
# the unit (verified when systemd-analyze is there), the config with absolute storage paths that
# this binary accepts together with secrets.toml (0640, a generated generic adapter secret) and
# nothing from the environment, ledgerbot.env 0600 without the generic secret; a second run
# replaces the binary and keeps an edited config and both secrets files; an older install whose
# ledgerbot.env sets LEDGERBOT_GENERIC_SECRET gets a secrets.toml with that secret and a note;
# --prefix moves the binary and the unit's ExecStart with it.
#
#   tests/deploy/install_destdir.sh BINARY
# shellcheck disable=SC2016 # the bash -c scripts take their arguments as $1, $2, …
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
binary=${1:?usage: install_destdir.sh BINARY}
[[ -x "$binary" ]] || { echo "not an executable: $binary"; exit 1; }
binary=$(realpath "$binary")

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
stage=$tmp/stage
failures=0
check() { # check DESCRIPTION COMMAND...
    local what=$1
    shift
    if "$@"; then
        echo "ok: $what"
    else
        echo "FAIL: $what"
        failures=$((failures + 1))
    fi
}
install_into() { # install_into DIR [OPTION...]
    local dir=$1
    shift
    if ! bash "$root/scripts/install.sh" --binary "$binary" --destdir "$dir" "$@" >"$tmp/install.log" 2>&1; then
        cat "$tmp/install.log"
        echo "FAIL: scripts/install.sh --binary $binary --destdir $dir $* failed"
        exit 1
    fi
}
mode_of() { stat -c %a "$1"; }

install_into "$stage"
bin=$stage/usr/local/bin/ledgerbot
unit=$stage/etc/systemd/system/ledgerbot.service
toml=$stage/etc/ledgerbot/ledgerbot.toml
secrets=$stage/etc/ledgerbot/secrets.toml
envfile=$stage/etc/ledgerbot/ledgerbot.env
state=$stage/var/lib/ledgerbot

check "the binary is installed, executable, the one given" \
    bash -c '[[ -x "$1" && $(stat -c %a "$1") == 755 ]] && cmp -s "$1" "$2"' _ "$bin" "$binary"
check "the installed binary runs" bash -c '"$1" --help >/dev/null' _ "$bin"
check "the unit is the repository's" cmp -s "$unit" "$root/deploy/systemd/ledgerbot.service"
if command -v systemd-analyze >/dev/null 2>&1; then
    check "the installed unit verifies" bash "$root/tests/deploy/verify_unit.sh" "$binary" "$unit"
else
    echo "note: systemd-analyze is not installed: the installed unit is not verified here"
fi

check "the config names the database by its absolute path" \
    grep -qx 'database_path = "/var/lib/ledgerbot/ledgerbot.db"' "$toml"
check "the console sink is an absolute path" \
    grep -q '^console_sink = "/var/lib/ledgerbot/outbox.jsonl"' "$toml"
check "no relative path is left in the config" \
    bash -c '! grep -nE "^[a-z_]+ *= *\"(\\./|\\.\\./|var/)" "$1"' _ "$toml"
check "the development secret is not in the config" bash -c '! grep -q ledgerbot-dev-secret "$1"' _ "$toml"
check "the config is not world-readable" test "$(mode_of "$toml")" = 640
check "the config's generic secret is empty, pointing at secrets.toml" \
    grep -qE '^secret = "" +# in /etc/ledgerbot/secrets\.toml$' "$toml"
check "secrets.toml is installed, 0640" test "$(mode_of "$secrets")" = 640
check "secrets.toml holds a generated generic adapter secret" \
    bash -c 'grep -qxF "[adapters.generic]" "$1" && grep -qxE "secret = \"[0-9a-f]{64}\"" "$1" &&
             grep -qxF "previous_secrets = []" "$1"' _ "$secrets"
check "secrets.toml says a reload re-reads it" grep -q 'systemctl reload ledgerbot' "$secrets"
check "ledgerbot.env is 0600" test "$(mode_of "$envfile")" = 600
for name in LEDGERBOT_WECOM_TOKEN LEDGERBOT_WECOM_AES_KEY LEDGERBOT_WECOM_BOT_TOKEN \
    LEDGERBOT_WECOM_BOT_AES_KEY LEDGERBOT_WECOM_SECRET LEDGERBOT_WECOM_WEBHOOK_ LEDGERBOT_METRICS_TOKEN; do
    check "ledgerbot.env lists $name, commented out" grep -q "^#$name" "$envfile"
done
check "ledgerbot.env does not set the generic adapter secret (secrets.toml does)" \
    bash -c '! grep -qE "^[[:space:]]*(export[[:space:]]+)?LEDGERBOT_GENERIC_" "$1"' _ "$envfile"
check "ledgerbot.env says where the generic secret is" grep -q 'secrets\.toml' "$envfile"
check "a fresh install prints no note about LEDGERBOT_GENERIC_SECRET" \
    bash -c '! grep -q "note:" "$1"' _ "$tmp/install.log"
check "the state directory is 0750" test "$(mode_of "$state")" = 750

# The staged config, moved into the temporary directory, is one this binary accepts together
# with the staged secrets.toml, with nothing from the environment: migrate creates the database.
sed "s|/var/lib/ledgerbot|$state|g" "$toml" >"$tmp/moved.toml"
check "this binary migrates a database with the installed config and secrets.toml, no environment" \
    env -i PATH="$PATH" bash -c '"$1" --config "$2" --config "$3" migrate >"$4" 2>&1' \
    _ "$binary" "$tmp/moved.toml" "$secrets" "$tmp/migrate.log"
check "the database is where the config says" test -f "$state/ledgerbot.db"
check "without secrets.toml the config is refused (no development secret to fall back on)" \
    env -i PATH="$PATH" bash -c '! "$1" --config "$2" migrate >"$3" 2>&1 &&
             grep -q "adapters.generic.secret" "$3"' _ "$binary" "$tmp/moved.toml" "$tmp/refused.log"

# A second run is an upgrade: a new binary, the admin's config and secrets untouched.
echo '# edited by the administrator' >>"$toml"
sed -i 's/^level = "info"/level = "debug"/' "$toml"
sed -i -e 's/^secret = .*/secret = "rotated-by-the-administrator"/' \
    -e 's/^previous_secrets = .*/previous_secrets = ["the-old-one"]/' "$secrets"
chmod 0644 "$secrets"
echo 'LEDGERBOT_WECOM_SECRET=edited' >>"$envfile"
chmod 0644 "$envfile"
cp "$toml" "$tmp/toml.before"
cp "$secrets" "$tmp/secrets.before"
cp "$envfile" "$tmp/env.before"
echo 'not the binary' >"$bin"
install_into "$stage"
check "the second run keeps the edited config" cmp -s "$toml" "$tmp/toml.before"
check "the second run says it kept the config" grep -q "kept $toml" "$tmp/install.log"
check "the second run keeps the edited secrets.toml" cmp -s "$secrets" "$tmp/secrets.before"
check "the second run says it kept secrets.toml" grep -q "kept $secrets" "$tmp/install.log"
check "the second run makes secrets.toml 0640 again" test "$(mode_of "$secrets")" = 640
check "the second run keeps the edited ledgerbot.env" cmp -s "$envfile" "$tmp/env.before"
check "the second run makes ledgerbot.env 0600 again" test "$(mode_of "$envfile")" = 600
check "the second run replaces the binary" cmp -s "$bin" "$binary"
check "the second run keeps the database" test -f "$state/ledgerbot.db"

# --prefix: the binary and the unit's ExecStart move together.
install_into "$tmp/opt" --prefix /opt/ledgerbot
check "--prefix installs the binary under it" test -x "$tmp/opt/opt/ledgerbot/bin/ledgerbot"
check "--prefix rewrites ExecStart" grep -qxF \
    'ExecStart=/opt/ledgerbot/bin/ledgerbot --config /etc/ledgerbot/ledgerbot.toml --config /etc/ledgerbot/secrets.toml serve' \
    "$tmp/opt/etc/systemd/system/ledgerbot.service"

# An upgrade of an install older than secrets.toml: its ledgerbot.env sets the generic secret.
# That keeps working (the service gets the same secret either way) and the admin is told how
# to move it; secrets.toml holds the same secret, so removing the variable changes nothing.
old=$tmp/old
old_secret=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
install -d "$old/etc/ledgerbot"
printf '# an older install\nLEDGERBOT_GENERIC_SECRET=%s\n#LEDGERBOT_WECOM_TOKEN=\n' "$old_secret" \
    >"$old/etc/ledgerbot/ledgerbot.env"
cp "$old/etc/ledgerbot/ledgerbot.env" "$tmp/old-env.before"
install_into "$old"
check "an older ledgerbot.env is kept as it was" \
    cmp -s "$old/etc/ledgerbot/ledgerbot.env" "$tmp/old-env.before"
check "an older install gets secrets.toml with the secret of its ledgerbot.env" \
    grep -qxF "secret = \"$old_secret\"" "$old/etc/ledgerbot/secrets.toml"
check "an older install gets a note on moving LEDGERBOT_GENERIC_SECRET into secrets.toml" \
    bash -c 'grep -q "note: LEDGERBOT_GENERIC_SECRET is set in" "$1" && grep -q "already holds the same value" "$1" &&
             grep -qF "sed -i '"'"'/^LEDGERBOT_GENERIC_SECRET=/d'"'"'" "$1"' _ "$tmp/install.log"
sed "s|/var/lib/ledgerbot|$old/var/lib/ledgerbot|g" "$old/etc/ledgerbot/ledgerbot.toml" >"$tmp/old.toml"
check "an older install's files are accepted, with the environment of its ledgerbot.env" \
    env -i PATH="$PATH" bash -c 'set -a; . "$1"; set +a; "$2" --config "$3" --config "$4" migrate >"$5" 2>&1' \
    _ "$old/etc/ledgerbot/ledgerbot.env" "$binary" "$tmp/old.toml" "$old/etc/ledgerbot/secrets.toml" \
    "$tmp/old-migrate.log"
check "an unknown option is refused with exit 2" \
    bash -c 'bash "$1" --no-such-option >/dev/null 2>&1; [[ $? -eq 2 ]]' _ "$root/scripts/install.sh"

if ((failures > 0)); then
    echo "$failures check(s) failed"
    exit 1
fi
echo "all checks passed"
