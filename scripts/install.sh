#!/usr/bin/env bash
# Installs ledgerbot as a systemd service on Debian 12, from a clone, as root:
#
#   bash scripts/install.sh [--prefix DIR] [--no-build | --binary FILE] [--destdir DIR]
#
#   --prefix DIR    install the binary as DIR/bin/ledgerbot (default /usr/local)
#   --no-build      install the existing build/app/ledgerbot instead of building it
#   --binary FILE   install FILE instead of building (implies --no-build; for tests)
#   --destdir DIR   stage every file under DIR instead of /: no user, no migrate, no systemctl
#                   (needs no root; tests inspect the result)
#
# What it does: installs the packages (scripts/install-deps.sh), builds the binary as
# scripts/run.sh does, installs it, creates the system user `ledgerbot`, the state directory
# /var/lib/ledgerbot (0750), and, each only if absent:
#   /etc/ledgerbot/ledgerbot.toml  the config, with absolute storage paths (0640 root:ledgerbot);
#   /etc/ledgerbot/secrets.toml    the generic adapter's secret, generated (0640 root:ledgerbot:
#                                  the service reads it itself, again on `systemctl reload`);
#   /etc/ledgerbot/ledgerbot.env   the WeCom secrets and the metrics token, commented out (0600
#                                  root: systemd passes it to the service when it starts it);
# then the systemd unit, which runs `ledgerbot --config /etc/ledgerbot/ledgerbot.toml --config
# /etc/ledgerbot/secrets.toml serve`, creates the database (first install only) and enables and
# starts the service. Every command it runs or prints passes the same two --config files.
#
# Running it again is an upgrade (git pull && bash scripts/install.sh): the binary and the unit
# are replaced, the config, the secrets and the data are kept, and a running service is restarted.
# An install older than secrets.toml gets one holding the generic secret of its ledgerbot.env,
# which keeps overriding it until the admin moves it (the note printed says how).
# The database is not migrated here: `ledgerbot serve` backs it up before migrating it when it
# starts (docs/operations.md), which `ledgerbot migrate` does not do. See docs/deploy.md.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

usage() {
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
}
die() {
  echo "install.sh: $*" >&2
  exit 1
}
say() {
  echo "install.sh: $*"
}

prefix=/usr/local
build=1
binary="$repo/build/app/ledgerbot"
destdir=""
while (($# > 0)); do
  case "$1" in
    --prefix) prefix=${2:?--prefix needs a directory}; shift 2 ;;
    --prefix=*) prefix=${1#*=}; shift ;;
    --no-build) build=0; shift ;;
    --binary) binary=${2:?--binary needs a file}; build=0; shift 2 ;;
    --binary=*) binary=${1#*=}; build=0; shift ;;
    --destdir) destdir=${2:?--destdir needs a directory}; shift 2 ;;
    --destdir=*) destdir=${1#*=}; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "install.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

# The prefix is written into the unit with sed: an absolute path of ordinary characters.
[[ "$prefix" =~ ^/[A-Za-z0-9._/+-]*$ ]] || die "--prefix must be an absolute path (got '$prefix')"
prefix=${prefix%/}
[[ -n "$prefix" ]] || prefix=/
if [[ -n "$destdir" ]]; then
  mkdir -p "$destdir"
  destdir=$(cd "$destdir" && pwd)
  [[ "$destdir" != / ]] || destdir=""
  staging=1
else
  staging=0
  [[ $(id -u) -eq 0 ]] || die "run as root (sudo bash scripts/install.sh), or stage with --destdir DIR"
fi

bin_path="${prefix%/}/bin/ledgerbot"
etc_dir=/etc/ledgerbot
config_path=$etc_dir/ledgerbot.toml
secrets_path=$etc_dir/secrets.toml
env_path=$etc_dir/ledgerbot.env
state_dir=/var/lib/ledgerbot
unit_path=/etc/systemd/system/ledgerbot.service

systemd_running=0
if ((!staging)) && [[ -d /run/systemd/system ]]; then
  systemd_running=1
fi

# 1. Packages and the build. A staged install of an existing binary touches nothing outside
#    the repository and DIR.
if ((build || !staging)); then
  scripts/install-deps.sh
fi
if ((build)); then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLEDGERBOT_BUILD_TESTS=OFF \
    -DLEDGERBOT_BUILD_BENCH=OFF -DLEDGERBOT_UNITY_BUILD=ON >/dev/null
  cmake --build build --target ledgerbot -j "$(nproc)"
fi
[[ -f "$binary" && -x "$binary" ]] ||
  die "no executable $binary: build it (drop --no-build) or name one with --binary FILE"
"$binary" --help >/dev/null || die "$binary --help failed: is it a ledgerbot binary for this machine?"

# 2. The system user (not when staging: the staged tree is not a system).
if ((!staging)); then
  if getent passwd ledgerbot >/dev/null; then
    say "user ledgerbot exists"
  elif command -v adduser >/dev/null 2>&1; then
    adduser --quiet --system --group --home "$state_dir" --no-create-home ledgerbot
    say "created the system user and group ledgerbot"
  else
    useradd --system --user-group --home-dir "$state_dir" --no-create-home \
      --shell /usr/sbin/nologin ledgerbot
    say "created the system user and group ledgerbot"
  fi
fi

was_installed=0
was_active=0
[[ -f "$destdir$unit_path" ]] && was_installed=1
if ((systemd_running)) && systemctl is-active --quiet ledgerbot; then
  was_active=1
fi

# 3. The binary. install(1) unlinks the old file first, so a running service keeps its copy
#    until it is restarted.
install -d -m 0755 "$destdir${prefix%/}/bin"
install -m 0755 "$binary" "$destdir$bin_path"
say "installed $destdir$bin_path"

# 4. The unit, always replaced: local changes belong in a drop-in (systemctl edit ledgerbot).
install -d -m 0755 "$destdir/etc/systemd/system"
unit_tmp=$(mktemp)
trap 'rm -f "$unit_tmp" "${config_tmp:-}" "${secrets_tmp:-}" "${env_tmp:-}"' EXIT
sed "s|^ExecStart=/usr/local/bin/ledgerbot |ExecStart=$bin_path |" \
  deploy/systemd/ledgerbot.service >"$unit_tmp"
grep -q "^ExecStart=$bin_path --config $config_path --config $secrets_path serve\$" "$unit_tmp" ||
  die "deploy/systemd/ledgerbot.service: unexpected ExecStart line"
install -m 0644 "$unit_tmp" "$destdir$unit_path"
say "installed $destdir$unit_path"

# 5. /etc/ledgerbot: readable by the service's group, ledgerbot.env by root alone.
install -d -m 0750 "$destdir$etc_dir"
((staging)) || chown root:ledgerbot "$destdir$etc_dir"

if [[ -e "$destdir$config_path" ]]; then
  say "kept $destdir$config_path (an existing config is never overwritten)"
else
  # The embedded default with its storage paths made absolute (the evidence folder, the
  # received inbox and the pre-migration backups default to the database's folder) and without
  # the development secret of the generic adapter: the one generated into secrets.toml is used,
  # and without that file the service refuses to start instead of accepting the public secret.
  config_tmp=$(mktemp)
  {
    echo "# ledgerbot's configuration, installed by scripts/install.sh from config/ledgerbot.toml."
    echo "# It is layered over the defaults compiled into the binary; upgrades never overwrite it."
    echo "# Secrets do not go here: the generic adapter's are in $secrets_path,"
    echo "# layered after this file (its keys win), the WeCom ones and the metrics token in"
    echo "# $env_path."
    echo "# After a change: systemctl restart ledgerbot (a change of [log] level alone: systemctl"
    echo "# reload ledgerbot). See docs/deploy.md."
    echo
    sed -e '1,/^$/d' \
      -e 's|^database_path = "var/ledgerbot\.db"|database_path = "/var/lib/ledgerbot/ledgerbot.db"|' \
      -e 's|^console_sink = "var/outbox\.jsonl"|console_sink = "/var/lib/ledgerbot/outbox.jsonl"|' \
      -e "s|^secret = \"ledgerbot-dev-secret\"|secret = \"\"                       # in $secrets_path|" \
      -e "s|^previous_secrets = \[\]\$|previous_secrets = []             # in $secrets_path|" \
      config/ledgerbot.toml
  } >"$config_tmp"
  if ! grep -q '^database_path = "/var/lib/ledgerbot/ledgerbot.db"' "$config_tmp" ||
    ! grep -q '^console_sink = "/var/lib/ledgerbot/outbox.jsonl"' "$config_tmp" ||
    grep -q 'ledgerbot-dev-secret' "$config_tmp"; then
    die "config/ledgerbot.toml changed shape: update the edits in scripts/install.sh"
  fi
  if grep -nE '^[a-z_]+ *= *"(\.\./|\./|var/)' "$config_tmp"; then
    die "config/ledgerbot.toml has relative paths the edits above do not cover"
  fi
  install -m 0640 "$config_tmp" "$destdir$config_path"
  ((staging)) || chown root:ledgerbot "$destdir$config_path"
  say "installed $destdir$config_path"
fi

# A LEDGERBOT_GENERIC_SECRET in an existing ledgerbot.env (installs older than secrets.toml
# wrote it there) overrides secrets.toml's secret until the service restarts: it stays in
# force, so the upgrade changes nothing for the bridge, and the admin is told how to move it.
env_generic_secret=""
env_sets_generic_secret=0
if [[ -f "$destdir$env_path" ]]; then
  # The value the service gets: the file read the way docs/deploy.md and run_as_service read it.
  env_generic_secret=$(
    set +eu
    unset LEDGERBOT_GENERIC_SECRET
    # shellcheck disable=SC1090
    . "$destdir$env_path" >/dev/null 2>&1
    printf '%s' "${LEDGERBOT_GENERIC_SECRET:-}"
  ) || env_generic_secret=""
  if [[ -n "$env_generic_secret" ]] ||
    grep -qE '^[[:space:]]*(export[[:space:]]+)?LEDGERBOT_GENERIC_SECRET=[^[:space:]]' \
      "$destdir$env_path"; then
    env_sets_generic_secret=1
  fi
fi
toml_string() { # toml_string VALUE: VALUE as a TOML basic string, or fails for control characters
  local value=$1
  [[ "$value" =~ ^[[:print:]]+$ ]] || return 1
  value=${value//\\/\\\\}
  value=${value//\"/\\\"}
  printf '"%s"' "$value"
}

if [[ -e "$destdir$secrets_path" ]]; then
  say "kept $destdir$secrets_path"
else
  secret_origin="a new generic adapter secret"
  secret_comment="Generated at installation."
  secret_value=""
  if [[ -n "$env_generic_secret" ]] && secret_value=$(toml_string "$env_generic_secret"); then
    # The secret in use, so that removing it from ledgerbot.env changes nothing.
    secret_origin="the generic adapter secret of $destdir$env_path"
    secret_comment="Copied from ledgerbot.env at an upgrade."
  else
    secret_value="\"$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')\""
  fi
  secrets_tmp=$(mktemp)
  cat >"$secrets_tmp" <<EOF
# ledgerbot's secrets that \`systemctl reload ledgerbot\` re-reads. The unit runs
#   ledgerbot --config $config_path --config $secrets_path serve
# so this file is layered after ledgerbot.toml (its keys win there), and on a reload (SIGHUP)
# the service reads both files again and applies a changed secret without a restart.
# Mode 0640, owner root:ledgerbot: the service can read it, other users cannot.
# Installed by scripts/install.sh; upgrades never overwrite it.
# LEDGERBOT_GENERIC_SECRET in $env_path would override \`secret\` and pin
# it until the next restart: keep the generic adapter's secrets here only.
#
# Rotating the secret with no request refused (docs/deploy.md, section 10): the new one in
# \`secret\`, the old one in \`previous_secrets\`, systemctl reload ledgerbot; switch the WeChat
# bridge (and any other client) to the new one; then previous_secrets = [] and reload again.

[adapters.generic]
# HMAC secret shared with the WeChat bridge and any other client that signs requests to
# /hooks/generic; notices to outbound_url are signed with it. $secret_comment
secret = $secret_value
# Older secrets still accepted on inbound requests (never used to sign), during a rotation.
previous_secrets = []
EOF
  install -m 0640 "$secrets_tmp" "$destdir$secrets_path"
  ((staging)) || chown root:ledgerbot "$destdir$secrets_path"
  say "installed $destdir$secrets_path (with $secret_origin)"
fi
# Readable by the service, which reads it itself, and by no other user.
chmod 0640 "$destdir$secrets_path"
((staging)) || chown root:ledgerbot "$destdir$secrets_path"

if [[ -e "$destdir$env_path" ]]; then
  say "kept $destdir$env_path"
else
  env_tmp=$(mktemp)
  cat >"$env_tmp" <<EOF
# ledgerbot's WeCom secrets and metrics token, passed to the service by systemd
# (EnvironmentFile= in ledgerbot.service). Mode 0600, owner root: the service user cannot read
# this file. Each variable replaces the config key named beside it; an empty or commented-out
# variable leaves the key as it is. One NAME=value per line, no spaces around =, no quotes
# (docs/deploy.md also reads this file with the shell). After a change: systemctl restart
# ledgerbot (systemd passes this file to the service when it starts it; a reload does not
# re-read it).
#
# The generic adapter's secret ([adapters.generic] secret, shared with the WeChat bridge) is not
# here but in $secrets_path, which the service reads again on
# \`systemctl reload ledgerbot\`, so that it can rotate without a restart. Setting
# LEDGERBOT_GENERIC_SECRET (or LEDGERBOT_GENERIC_PREVIOUS_SECRETS) here would override that
# file and pin the value until the next restart: do not.

# WeCom self-built app (自建应用), [adapters.wecom]:
# the Token of 接收消息 → 设置API接收 (token)
#LEDGERBOT_WECOM_TOKEN=
# the EncodingAESKey beside it, 43 characters (encoding_aes_key)
#LEDGERBOT_WECOM_AES_KEY=
# the app's Secret, for the WeCom API: gettoken, sending, customer groups (secret)
#LEDGERBOT_WECOM_SECRET=

# WeCom intelligent bot (智能机器人, API mode), [adapters.wecom] bot_enabled = true:
# its Token (bot_token)
#LEDGERBOT_WECOM_BOT_TOKEN=
# its EncodingAESKey (bot_encoding_aes_key)
#LEDGERBOT_WECOM_BOT_AES_KEY=

# Group robots (消息推送): the key= of each robot's webhook URL, for a robot declared as
# <name> = "" under [adapters.wecom.webhooks]; <NAME> is the name upper-cased, other
# characters as _. For example, for compliance = "":
#LEDGERBOT_WECOM_WEBHOOK_COMPLIANCE=

# Bearer token for /metrics on the public webhook port ([server] metrics_token); unset, /metrics
# is served only on the operations listener, 127.0.0.1:9464.
#LEDGERBOT_METRICS_TOKEN=
EOF
  install -m 0600 "$env_tmp" "$destdir$env_path"
  say "installed $destdir$env_path (WeCom secrets and metrics token, all commented out)"
fi
# Secrets stay root's, however the file was edited since.
chmod 0600 "$destdir$env_path"
((staging)) || chown root:root "$destdir$env_path"
if ((env_sets_generic_secret)); then
  say "note: LEDGERBOT_GENERIC_SECRET is set in $destdir$env_path: it overrides the secret in"
  say "$destdir$secrets_path until a restart, so a reload cannot rotate it."
  if [[ -n "$env_generic_secret" ]] && in_file=$(toml_string "$env_generic_secret") &&
    grep -qxF "secret = $in_file" "$destdir$secrets_path"; then
    say "secrets.toml already holds the same value. To move it (nothing changes for the bridge):"
  else
    say "secrets.toml holds another value: first make its [adapters.generic] secret the one in"
    say "ledgerbot.env. Then, to move it (nothing changes for the bridge):"
  fi
  echo "  sed -i '/^LEDGERBOT_GENERIC_SECRET=/d' $destdir$env_path && systemctl restart ledgerbot"
  say "From then on the secret rotates with systemctl reload ledgerbot (docs/deploy.md, section 10)."
fi

# 6. The state directory (systemd's StateDirectory= would create it too, at the first start).
install -d -m 0750 "$destdir$state_dir"
chmod 0750 "$destdir$state_dir"
((staging)) || chown ledgerbot:ledgerbot "$destdir$state_dir"

if ((staging)); then
  say "staged under $destdir (no user, database or service)"
  exit 0
fi

# 7. The database: created here on the first installation, so the directory can be imported
#    before the first start. An existing one is left to `serve`, which backs it up before it
#    migrates it.
run_as_service() {
  (
    set -a
    # shellcheck disable=SC1090
    . "$env_path"
    set +a
    cd "$state_dir"
    umask 0027
    exec runuser -u ledgerbot -- "$bin_path" --config "$config_path" --config "$secrets_path" "$@"
  )
}
database=$(sed -n 's/^[[:space:]]*database_path[[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' \
  "$config_path" | head -n 1)
[[ -n "$database" ]] || database=var/ledgerbot.db # the embedded default
[[ "$database" == /* ]] || database="$state_dir/$database"
if [[ -e "$database" ]]; then
  say "kept the database $database (the service backs it up and migrates it when it starts)"
else
  run_as_service migrate
fi

# 8. The service.
start_by_hand="( set -a; . $env_path; set +a; cd $state_dir; umask 0027; exec runuser -u ledgerbot -- $bin_path --config $config_path --config $secrets_path serve )"
if ((!systemd_running)); then
  say "systemd is not running here: start the service by hand with"
  echo "  $start_by_hand"
  exit 0
fi
systemctl daemon-reload
if ((!was_installed)); then
  systemctl enable --now ledgerbot
  say "enabled and started ledgerbot.service"
elif ((was_active)); then
  systemctl restart ledgerbot
  say "restarted ledgerbot.service on the new binary"
else
  say "ledgerbot.service is not running; start it with: systemctl start ledgerbot"
  exit 0
fi
# Type=simple counts the service as started once it is forked: look again after a moment.
sleep 3
if ! systemctl is-active --quiet ledgerbot; then
  systemctl --no-pager status ledgerbot || true
  die "ledgerbot.service is not running: journalctl -u ledgerbot -n 50 says why"
fi
say "ledgerbot.service is running. Next: set up WeCom in $config_path and $env_path"
say "(docs/deploy.md), then check everything with"
echo "  ( set -a; . $env_path; set +a; cd $state_dir; runuser -u ledgerbot -- $bin_path --config $config_path --config $secrets_path doctor )"
