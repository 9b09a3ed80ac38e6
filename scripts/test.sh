#!/usr/bin/env bash
# Quick start, command 2: install what is missing, build everything, and run every test with
# ctest. .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh --test
if [[ -f tests/adapters/wecom/oracle/package.json ]]; then
  # @wecom/crypto, WeCom's own implementation, is the independent oracle for our crypto.
  npm ci --prefix tests/adapters/wecom/oracle --no-audit --no-fund --loglevel=error
fi
if [[ -f adapters/wechaty/package.json ]]; then
  # The WeChat bridge (wechaty, pinned) and wechaty-puppet-mock for its tests.
  npm ci --prefix adapters/wechaty --no-audit --no-fund --loglevel=error
fi
if [[ -f tests/browser/package.json ]]; then
  # puppeteer-core, pinned, drives Debian's chromium in the console's browser test.
  npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
fi
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLEDGERBOT_BUILD_TESTS=ON \
  -DLEDGERBOT_BUILD_BENCH=ON -DLEDGERBOT_UNITY_BUILD=ON >/dev/null
cmake --build build -j "$(nproc)"
cd build
ctest --output-on-failure -j "$(nproc)" "$@"
