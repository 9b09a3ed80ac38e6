#!/usr/bin/env bash
# Quick start, command 1: install what is missing, build, and run the service on the embedded
# default config (SQLite file under var/, generic adapter on 127.0.0.1:8080, no WeCom
# credentials). The demo company list and staff directory are imported on every start (an
# import updates rows in place, so this is safe to repeat).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLEDGERBOT_BUILD_TESTS=OFF \
  -DLEDGERBOT_BUILD_BENCH=OFF -DLEDGERBOT_UNITY_BUILD=ON >/dev/null
cmake --build build --target ledgerbot -j "$(nproc)"

./build/app/ledgerbot migrate
# Staff first: a company's account manager is checked against the staff directory.
./build/app/ledgerbot import staff config/demo/staff.csv
./build/app/ledgerbot import companies config/demo/companies.csv
echo "Try it: scripts/demo-post.sh   (posts a signed visit report; the answer lands in var/outbox.jsonl)"
exec ./build/app/ledgerbot serve "$@"
