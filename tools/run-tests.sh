#!/usr/bin/env bash
# README command 2: install what is missing, build, run the whole test suite; then the same
# suite built with AddressSanitizer + UndefinedBehaviorSanitizer, then a short libFuzzer run.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
tools/build.sh
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j"$(nproc)"

# Sanitizers: every test again (benchmarks and the install check are not tests of the code).
asan_dir=${ASAN_BUILD_DIR:-build-asan}
BUILD_DIR=$asan_dir CMAKE_BUILD_TYPE=Debug tools/build.sh -DJUBILANT_SANITIZE=ON \
  -DJUBILANT_BUILD_BENCHMARKS=OFF
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir "$asan_dir" --output-on-failure -j"$(nproc)" -LE examples

FUZZ_SECONDS=${FUZZ_SECONDS:-10} tools/fuzz.sh
