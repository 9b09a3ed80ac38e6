#!/usr/bin/env bash
# The systemd unit must pass `systemd-analyze verify` without a word about it, and keep its
# hardening (`systemd-analyze security` exposure at most 5.0; 4.7 when this test was written).
#
#   tests/deploy/verify_unit.sh BINARY [UNIT]
#
# BINARY is a built ledgerbot (ctest passes the build's): verify checks that ExecStart's program
# exists and is executable, so a copy of UNIT (default deploy/systemd/ledgerbot.service) runs it
# from there. Nothing else is changed: verify does not look up User=/Group= (systemd 252 says
# nothing about a user that does not exist) nor read EnvironmentFile= or the --config files of
# ExecStart (/etc/ledgerbot/ledgerbot.toml, then secrets.toml), so all stay as shipped.
# Exit 77 (skipped) only when systemd-analyze is not installed (Debian package systemd).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"

if ! command -v systemd-analyze >/dev/null 2>&1; then
    echo "skipped: systemd-analyze is not installed (Debian package systemd)"
    exit 77
fi
binary=${1:?usage: verify_unit.sh BINARY [UNIT]}
unit=${2:-$root/deploy/systemd/ledgerbot.service}
[[ -x "$binary" ]] || { echo "not an executable: $binary"; exit 1; }
[[ -f "$unit" ]] || { echo "no unit file: $unit"; exit 1; }
binary=$(realpath "$binary")

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
copy=$tmp/ledgerbot.service
sed "s|^ExecStart=/[^ ]*/ledgerbot |ExecStart=$binary |" "$unit" >"$copy"
expected="--config /etc/ledgerbot/ledgerbot.toml --config /etc/ledgerbot/secrets.toml serve"
if ! grep -qxF "ExecStart=$binary $expected" "$copy"; then
    echo "$unit: ExecStart is not '<prefix>/bin/ledgerbot $expected':"
    grep -n '^ExecStart=' "$unit" || true
    exit 1
fi

failed=0
code=0
out=$(systemd-analyze verify "$copy" 2>&1) || code=$?
# Lines about other units of this machine are not ours to fix; show them, fail on ours.
if [[ -n "$out" ]]; then
    echo "systemd-analyze verify said:"
    echo "$out"
fi
if ((code != 0)); then
    echo "FAIL: systemd-analyze verify exited $code"
    failed=1
elif grep -q 'ledgerbot\.service' <<<"$out"; then
    echo "FAIL: systemd-analyze verify warns about the unit"
    failed=1
else
    echo "ok: systemd-analyze verify has nothing to say about the unit"
fi

code=0
out=$(systemd-analyze security --offline=true --threshold=50 "$copy" 2>&1) || code=$?
if ((code != 0)); then
    echo "$out"
    echo "FAIL: systemd-analyze security: exposure above 5.0 (or it failed, exit $code)"
    failed=1
else
    echo "ok: $(grep -o 'Overall exposure level.*' <<<"$out" || echo 'exposure within 5.0')"
fi

# What the service relies on, which verify cannot know.
# shellcheck disable=SC2016 # $MAINPID is systemd's, not the shell's
for line in 'User=ledgerbot' 'Group=ledgerbot' 'EnvironmentFile=/etc/ledgerbot/ledgerbot.env' \
    'WorkingDirectory=/var/lib/ledgerbot' 'StateDirectory=ledgerbot' 'KillSignal=SIGTERM' \
    'ExecReload=/bin/kill -HUP $MAINPID' 'Restart=on-failure' 'WantedBy=multi-user.target'; do
    if ! grep -qxF "$line" "$copy"; then
        echo "FAIL: the unit lacks the line '$line'"
        failed=1
    fi
done
if ((failed)); then
    exit 1
fi
echo "ok: the unit has its user, secrets file, state directory, signals and target"
