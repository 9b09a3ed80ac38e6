#!/usr/bin/env bash
# scripts/install.sh staged into a temporary directory (--destdir, --binary BINARY): the binary,
# the unit (verified when systemd-analyze is there), the config with absolute storage paths that
# this binary accepts, the secrets file 0600; a second run replaces the binary and keeps an
# edited config and secrets file; --prefix moves the binary and the unit's ExecStart with it.
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
check "the secrets file is 0600" test "$(mode_of "$envfile")" = 600
for name in LEDGERBOT_WECOM_TOKEN LEDGERBOT_WECOM_AES_KEY LEDGERBOT_WECOM_BOT_TOKEN \
    LEDGERBOT_WECOM_BOT_AES_KEY LEDGERBOT_WECOM_SECRET LEDGERBOT_WECOM_WEBHOOK_ LEDGERBOT_METRICS_TOKEN; do
    check "the secrets file lists $name, commented out" grep -q "^#$name" "$envfile"
done
check "the secrets file holds a generated generic adapter secret" \
    grep -qE '^LEDGERBOT_GENERIC_SECRET=[0-9a-f]{64}$' "$envfile"
check "the state directory is 0750" test "$(mode_of "$state")" = 750

# The staged config, moved into the temporary directory, is one this binary accepts: migrate
# creates the database, and doctor passes with the generated secret from the secrets file.
sed "s|/var/lib/ledgerbot|$state|g" "$toml" >"$tmp/moved.toml"
check "this binary migrates a database with the installed config and secrets" \
    bash -c 'set -a; . "$1"; set +a; "$2" --config "$3" migrate >"$4" 2>&1' \
    _ "$envfile" "$binary" "$tmp/moved.toml" "$tmp/migrate.log"
check "the database is where the config says" test -f "$state/ledgerbot.db"
check "without the secrets file the config is refused (no development secret to fall back on)" \
    bash -c '! env -u LEDGERBOT_GENERIC_SECRET "$1" --config "$2" migrate >"$3" 2>&1 &&
             grep -q "adapters.generic.secret" "$3"' _ "$binary" "$tmp/moved.toml" "$tmp/refused.log"

# A second run is an upgrade: a new binary, the admin's config and secrets untouched.
echo '# edited by the administrator' >>"$toml"
sed -i 's/^level = "info"/level = "debug"/' "$toml"
echo 'LEDGERBOT_WECOM_SECRET=edited' >>"$envfile"
chmod 0644 "$envfile"
cp "$toml" "$tmp/toml.before"
cp "$envfile" "$tmp/env.before"
echo 'not the binary' >"$bin"
install_into "$stage"
check "the second run keeps the edited config" cmp -s "$toml" "$tmp/toml.before"
check "the second run says it kept the config" grep -q "kept $toml" "$tmp/install.log"
check "the second run keeps the edited secrets file" cmp -s "$envfile" "$tmp/env.before"
check "the second run makes the secrets file 0600 again" test "$(mode_of "$envfile")" = 600
check "the second run replaces the binary" cmp -s "$bin" "$binary"
check "the second run keeps the database" test -f "$state/ledgerbot.db"

# --prefix: the binary and the unit's ExecStart move together.
install_into "$tmp/opt" --prefix /opt/ledgerbot
check "--prefix installs the binary under it" test -x "$tmp/opt/opt/ledgerbot/bin/ledgerbot"
check "--prefix rewrites ExecStart" grep -qx \
    'ExecStart=/opt/ledgerbot/bin/ledgerbot --config /etc/ledgerbot/ledgerbot.toml serve' \
    "$tmp/opt/etc/systemd/system/ledgerbot.service"
check "an unknown option is refused with exit 2" \
    bash -c 'bash "$1" --no-such-option >/dev/null 2>&1; [[ $? -eq 2 ]]' _ "$root/scripts/install.sh"

if ((failures > 0)); then
    echo "$failures check(s) failed"
    exit 1
fi
echo "all checks passed"
