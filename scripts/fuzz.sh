#!/usr/bin/env bash
# A long fuzz run on demand (ctest only replays the seeds and mutates briefly).
# Usage: scripts/fuzz.sh TARGET [SECONDS]     e.g. scripts/fuzz.sh wecom_decrypt_fuzz 600
# New inputs that raise coverage go to var/fuzz/TARGET; a crash leaves its reproducer there.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: scripts/fuzz.sh TARGET [SECONDS]}
seconds=${2:-600}
scripts/install-deps.sh --test
cmake -S tests/fuzz -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Fuzz \
  >/dev/null
cmake --build build-fuzz --target "$target"
corpus=tests/fuzz/corpus/${target%_fuzz}
work=var/fuzz/$target
mkdir -p "$work"
exec "./build-fuzz/$target" -max_total_time="$seconds" -print_final_stats=1 \
  -artifact_prefix="$work/" "$work" "$corpus"
