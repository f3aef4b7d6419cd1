#!/usr/bin/env bash
# Installs the Debian 12 packages jubilant-cpp builds and tests with, and only the missing ones:
# running it again on a ready machine changes nothing and asks the network for nothing.
set -euo pipefail

packages=(
  g++ cmake make ccache pkg-config python3
  libboost1.81-dev
  nlohmann-json3-dev libyaml-cpp-dev libfmt-dev libspdlog-dev libsimdjson-dev libsqlite3-dev
  libarchive-dev libzstd-dev
  googletest libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev
)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$package")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root (missing: ${missing[*]})" >&2; exit 1; }
  sudo=(sudo)
fi
echo "install-deps: installing ${missing[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
