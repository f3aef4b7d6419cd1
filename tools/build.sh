#!/usr/bin/env bash
# Configures and builds jubilant-cpp into ./build (warnings are errors). Used by the README's
# two commands; BUILD_DIR and CMAKE_BUILD_TYPE may be overridden, extra arguments go to cmake.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
# Ninja when present, for a new build directory (one configured before keeps its generator).
generator=()
if [ ! -f "$build_dir/CMakeCache.txt" ] && command -v ninja >/dev/null; then
  generator=(-G Ninja)
fi
cmake -S . -B "$build_dir" "${generator[@]}" -DCMAKE_BUILD_TYPE="${CMAKE_BUILD_TYPE:-RelWithDebInfo}" \
  -DJUBILANT_WERROR=ON "$@" >/dev/null
cmake --build "$build_dir" -j"$(nproc)"
