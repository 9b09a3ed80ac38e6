#!/usr/bin/env bash
# Installs the Debian 12 packages ledgerbot needs, only those that are missing.
# Usage: scripts/install-deps.sh [--test]   (--test adds what the test suite needs: clang for
# the libFuzzer targets, Node.js for the @wecom/crypto oracle and the browser test, chromium,
# systemd-analyze for the unit)
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config git ca-certificates
  libboost-dev libssl-dev nlohmann-json3-dev libsqlitecpp-dev libsqlite3-dev sqlite3
  libpugixml-dev libmstch-dev libtomlplusplus-dev libspdlog-dev libfmt-dev libcli11-dev
  libxlsxwriter-dev prometheus-cpp-dev libcsv-dev libutf8proc-dev libhowardhinnant-date-dev
  libmagic-dev libstb-dev libwebp-dev libzip-dev liburiparser-dev libgoogle-perftools-dev
  catch2 curl openssl python3
)
if [[ "${1:-}" == "--test" ]]; then
  # clang: the libFuzzer targets; clang-format: the formatting check; zlib: xlsx read back
  packages+=(clang libclang-rt-14-dev clang-format zlib1g-dev)
  # systemd: systemd-analyze checks deploy/systemd/ledgerbot.service (tests/deploy/)
  packages+=(systemd)
  # chromium: the web console's browser test (tests/browser/); the CJK font draws its Chinese
  # in the screenshots it keeps
  packages+=(chromium fonts-noto-cjk)
  # Node may come from elsewhere (e.g. NodeSource); only install Debian's when there is none.
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    packages+=(nodejs npm)
  fi
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then
  sudo="sudo"
fi
echo "installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
