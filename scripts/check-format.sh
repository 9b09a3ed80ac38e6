#!/usr/bin/env bash
# Fails when a C++ file of the tree is not formatted with the repo's .clang-format.
# Usage: scripts/check-format.sh [--fix]
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(find adapters app bench bot config storage templates tests \
  -name node_modules -prune -o \( -name '*.cpp' -o -name '*.hpp' \) -print | sort)
if [[ "${1:-}" == "--fix" ]]; then
  clang-format -i "${files[@]}"
  exit 0
fi
clang-format --dry-run -Werror "${files[@]}"
echo "clang-format: ${#files[@]} files formatted"
