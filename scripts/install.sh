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
# /var/lib/ledgerbot (0750), /etc/ledgerbot/ledgerbot.toml (only if absent, with absolute storage
# paths), /etc/ledgerbot/ledgerbot.env for secrets (only if absent, 0600 root) and the systemd unit,
# creates the database (first install only) and enables and starts the service.
#
# Running it again is an upgrade (git pull && bash scripts/install.sh): the binary and the unit
# are replaced, the config, the secrets and the data are kept, and a running service is restarted.
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
trap 'rm -f "$unit_tmp" "${config_tmp:-}" "${env_tmp:-}"' EXIT
sed "s|^ExecStart=/usr/local/bin/ledgerbot |ExecStart=$bin_path |" \
  deploy/systemd/ledgerbot.service >"$unit_tmp"
grep -q "^ExecStart=$bin_path --config $config_path serve\$" "$unit_tmp" ||
  die "deploy/systemd/ledgerbot.service: unexpected ExecStart line"
install -m 0644 "$unit_tmp" "$destdir$unit_path"
say "installed $destdir$unit_path"

# 5. /etc/ledgerbot: readable by the service's group, the secrets by root alone.
install -d -m 0750 "$destdir$etc_dir"
((staging)) || chown root:ledgerbot "$destdir$etc_dir"

if [[ -e "$destdir$config_path" ]]; then
  say "kept $destdir$config_path (an existing config is never overwritten)"
else
  # The embedded default with its storage paths made absolute (the evidence folder, the
  # received inbox and the pre-migration backups default to the database's folder) and without
  # the development secret of the generic adapter: the one generated into ledgerbot.env is
  # used, and without it the service refuses to start instead of accepting the public secret.
  config_tmp=$(mktemp)
  {
    echo "# ledgerbot's configuration, installed by scripts/install.sh from config/ledgerbot.toml."
    echo "# It is layered over the defaults compiled into the binary; upgrades never overwrite it."
    echo "# Secrets go in $env_path (LEDGERBOT_* variables), not here."
    echo "# After a change: systemctl restart ledgerbot. See docs/deploy.md."
    echo
    sed -e '1,/^$/d' \
      -e 's|^database_path = "var/ledgerbot\.db"|database_path = "/var/lib/ledgerbot/ledgerbot.db"|' \
      -e 's|^console_sink = "var/outbox\.jsonl"|console_sink = "/var/lib/ledgerbot/outbox.jsonl"|' \
      -e 's|^secret = "ledgerbot-dev-secret"|secret = ""                       # env LEDGERBOT_GENERIC_SECRET|' \
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

if [[ -e "$destdir$env_path" ]]; then
  say "kept $destdir$env_path"
else
  generic_secret=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
  env_tmp=$(mktemp)
  cat >"$env_tmp" <<EOF
# ledgerbot's secrets, passed to the service by systemd (EnvironmentFile= in ledgerbot.service).
# Mode 0600, owner root: the service user cannot read this file. Each variable replaces the
# config key named beside it; an empty or commented-out variable leaves the key as it is.
# One NAME=value per line, no spaces around =, no quotes (docs/deploy.md also reads this file
# with the shell). After a change: systemctl restart ledgerbot (systemd passes this file to the
# service when it starts it; a reload does not re-read it).

# HMAC secret of the generic adapter ([adapters.generic] secret), shared with the WeChat
# bridge or other clients that sign requests to /hooks/generic. Generated at installation.
LEDGERBOT_GENERIC_SECRET=$generic_secret

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
  say "installed $destdir$env_path (with a new generic adapter secret)"
fi
# Secrets stay root's, however the file was edited since.
chmod 0600 "$destdir$env_path"
((staging)) || chown root:root "$destdir$env_path"

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
    exec runuser -u ledgerbot -- "$bin_path" --config "$config_path" "$@"
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
start_by_hand="( set -a; . $env_path; set +a; cd $state_dir; umask 0027; exec runuser -u ledgerbot -- $bin_path --config $config_path serve )"
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
echo "  ( set -a; . $env_path; set +a; cd $state_dir; runuser -u ledgerbot -- $bin_path --config $config_path doctor )"
