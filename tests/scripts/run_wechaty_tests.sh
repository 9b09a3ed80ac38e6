#!/usr/bin/env bash
# The WeChat bridge's tests (adapters/wechaty/test/, node's test runner): the bridge against
# wechaty-puppet-mock and a fake ledgerbot, and end to end with the ledgerbot binary given as $1.
# Exit 77 (skipped) when the bridge's packages are not installed (npm ci --prefix adapters/wechaty,
# which scripts/test.sh does).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
if [[ ! -d "$root/adapters/wechaty/node_modules/wechaty" ]]; then
  echo "skipped: the bridge's packages are not installed (npm ci --prefix adapters/wechaty)"
  exit 77
fi
cd "$root/adapters/wechaty"
# A failed test must end the run, not leave it waiting on a server it did not close; and no test
# may wait for ever. Node 20.14 and later have both flags (Debian's Node 18 has neither).
flags=()
if node --test-force-exit --test-timeout=120000 -e 0 >/dev/null 2>&1; then
  flags=(--test-force-exit --test-timeout=120000)
fi
LEDGERBOT_BINARY="$1" exec node --test "${flags[@]}" test/
