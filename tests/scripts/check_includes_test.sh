#!/usr/bin/env bash
# scripts/check-includes.py must refuse an include that runs up the layers, one between two
# features, bot/ reaching for I/O, a library using one above it, and a circle; and pass a tree
# that keeps the order.
set -euo pipefail
script="$(cd "$(dirname "$0")/../.." && pwd)/scripts/check-includes.py"
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT

write() {  # write FILE INCLUDE...
    local file=$tree/$1
    shift
    mkdir -p "$(dirname "$file")"
    : >"$file"
    for include in "$@"; do
        echo "#include $include" >>"$file"
    done
}
expect() {  # expect exit-code pattern
    local code=0 out
    out=$(python3 "$script" "$tree" 2>&1) || code=$?
    if [[ $code -ne $1 ]] || ! grep -q -- "$2" <<<"$out"; then
        echo "expected exit $1 and '$2', got $code:"
        echo "$out"
        exit 1
    fi
}

write bot/text/text.hpp '<string>'
write bot/model/directory.hpp '"bot/text/text.hpp"'
write bot/reports/report.hpp '"bot/model/directory.hpp"' '"bot/decision.hpp"'
write bot/decision.hpp '"bot/model/directory.hpp"'
write bot/engine.hpp '"bot/reports/report.hpp"'
write storage/inbox.hpp '"bot/model/directory.hpp"' '"config/settings.hpp"'
write config/settings.hpp '"bot/model/directory.hpp"'
write app/main.cpp '"storage/inbox.hpp"' '"bot/engine.hpp"'
expect 0 ""

write bot/text/text.hpp '"bot/model/directory.hpp"'
expect 1 "bot/text/text.hpp: includes bot/model/directory.hpp, which is above it"
write bot/text/text.hpp '<string>'

write bot/decision.hpp '"bot/model/directory.hpp"' '"bot/engine.hpp"'
expect 1 "bot/decision.hpp: includes bot/engine.hpp, which is above it"
write bot/decision.hpp '"bot/model/directory.hpp"'

write bot/scoring/score.hpp '"bot/reports/report.hpp"'
expect 1 "scoring and reports are on one layer"
rm "$tree/bot/scoring/score.hpp"

write bot/model/clock.hpp '<boost/asio/steady_timer.hpp>'
expect 1 "bot/ is pure and must not include <boost/asio/steady_timer.hpp>"
rm "$tree/bot/model/clock.hpp"

write storage/outbox.hpp '"app/main.hpp"'
expect 1 "storage/ may not use app/"
rm "$tree/storage/outbox.hpp"

write bot/reports/a.hpp '"bot/reports/b.hpp"'
write bot/reports/b.hpp '"bot/reports/a.hpp"'
expect 1 "include circle: bot/reports/a.hpp -> bot/reports/b.hpp -> bot/reports/a.hpp"
rm "$tree/bot/reports/a.hpp" "$tree/bot/reports/b.hpp"

write bot/mystery/thing.hpp '"bot/text/text.hpp"'
expect 1 "not in any layer"
echo "check-includes refuses each kind of violation"
