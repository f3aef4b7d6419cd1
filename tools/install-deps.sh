#!/usr/bin/env bash
# Installs the packages jubilant-cpp builds and tests with, and only the missing ones: running it
# again on a ready machine changes nothing and asks the network for nothing.
# Works on Debian 12 and Ubuntu 24.04 (the package names below exist on both).
#   tools/install-deps.sh          what building, the demo and the tests need
#   tools/install-deps.sh --fuzz   also clang and its sanitizer runtime, for tools/fuzz.sh, and
#                                  clang-format and clang-tidy, for tools/lint.sh (CI uses both)
set -euo pipefail

fuzz=false
case ${1:-} in
  "") ;;
  --fuzz) fuzz=true ;;
  *) echo "usage: tools/install-deps.sh [--fuzz]" >&2; exit 2 ;;
esac

packages=(
  g++ cmake make ninja-build ccache pkg-config python3
  nlohmann-json3-dev libyaml-cpp-dev libfmt-dev libspdlog-dev libsimdjson-dev libsqlite3-dev
  libre2-dev libcli11-dev libarchive-dev libzstd-dev
  googletest libgtest-dev libgmock-dev libbenchmark-dev
)

installed() {
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" = "installed" ]
}

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root" >&2; exit 1; }
  sudo=(sudo)
fi
updated=false
apt_update() {
  if ! $updated; then "${sudo[@]}" apt-get update -qq; updated=true; fi
}

# The newest versioned package of a family that the distribution has, at least the given version
# (libboost1.81-dev on Debian 12, libboost1.83-dev on Ubuntu 24.04); one already installed wins.
version_le() { printf '%s\n%s\n' "$1" "$2" | sort -V -C; }
pick_versioned() {
  local prefix=$1 suffix=$2 minimum=$3 pattern name version best="" best_version=""
  pattern="^${prefix}[0-9][0-9.]*${suffix}\$"
  for name in $(dpkg-query -W -f='${Package}\n' 2>/dev/null | grep -E "$pattern" || true); do
    version=${name#"$prefix"}
    version_le "$minimum" "${version%"$suffix"}" && installed "$name" && { echo "$name"; return; }
  done
  [ -n "$(apt-cache pkgnames "$prefix" 2>/dev/null)" ] || apt_update >&2
  for name in $(apt-cache pkgnames "$prefix" | grep -E "$pattern" || true); do
    version=${name#"$prefix"}
    version=${version%"$suffix"}
    version_le "$minimum" "$version" || continue
    if [ -z "$best" ] || version_le "$best_version" "$version"; then
      best=$name
      best_version=$version
    fi
  done
  [ -n "$best" ] || { echo "install-deps: no ${prefix}<version>${suffix} >= $minimum" >&2; exit 1; }
  echo "$best"
}

packages+=("$(pick_versioned libboost -dev 1.81)")
if $fuzz; then
  packages+=(clang clang-format clang-tidy)
fi

missing=()
for package in "${packages[@]}"; do
  installed "$package" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  apt_update
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}"
fi

# libFuzzer and the sanitizer runtimes ship apart from clang, versioned like it.
if $fuzz; then
  clang_major=$(clang --version | sed -n 's/.*clang version \([0-9]*\).*/\1/p' | head -1)
  runtime="libclang-rt-${clang_major}-dev"
  if ! installed "$runtime"; then
    echo "install-deps: installing $runtime"
    apt_update
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
      "$runtime"
  fi
fi
[ ${#missing[@]} -gt 0 ] || echo "install-deps: all ${#packages[@]} packages present"
