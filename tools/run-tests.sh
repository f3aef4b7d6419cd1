#!/usr/bin/env bash
# README command 2: install what is missing, build, run the whole test suite; then the same
# suite built with AddressSanitizer + UndefinedBehaviorSanitizer, then a short libFuzzer run.
# Prints the wall time of each stage as it ends, and a table of all of them at the end (also
# when a stage fails), so a slow CI run says where its time went.
set -euo pipefail
cd "$(dirname "$0")/.."

script_start=$SECONDS
stage_names=()
stage_seconds=()
current_stage=""
stage_start=0
tests_passed=0
tests_failed=0
ctest_log=$(mktemp)

begin_stage() {
  current_stage=$1
  stage_start=$SECONDS
  echo "==> $current_stage"
}
end_stage() {
  local took=$((SECONDS - stage_start))
  stage_names+=("$current_stage")
  stage_seconds+=("$took")
  printf '==> %s: %dm%02ds\n' "$current_stage" $((took / 60)) $((took % 60))
  current_stage=""
}
summary() {
  local status=$?
  [ -n "$current_stage" ] && end_stage && stage_names[-1]+=" (FAILED)"
  echo "==> stage times"
  for i in "${!stage_names[@]}"; do
    printf '    %-14s %4dm%02ds\n' "${stage_names[$i]}" $((stage_seconds[i] / 60)) \
      $((stage_seconds[i] % 60))
  done
  local total=$((SECONDS - script_start))
  printf '    %-14s %4dm%02ds\n' "total" $((total / 60)) $((total % 60))
  rm -f "$ctest_log"
  # Both ctest runs added up, as the closing line a CI reader looks for.
  echo "tests: $tests_passed passed, $tests_failed failed"
  return $status
}
trap summary EXIT

# ctest, with its pass/fail counts added to the totals (also when it fails).
run_ctest() {
  local status=0
  ctest "$@" 2>&1 | tee "$ctest_log" || status=$?
  local line
  line=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$ctest_log" | tail -1)
  if [[ $line =~ ([0-9]+)\ tests?\ failed\ out\ of\ ([0-9]+) ]]; then
    tests_failed=$((tests_failed + BASH_REMATCH[1]))
    tests_passed=$((tests_passed + BASH_REMATCH[2] - BASH_REMATCH[1]))
  fi
  return $status
}

begin_stage dependencies
tools/install-deps.sh --fuzz
end_stage

# Line tables only (-g1), as in the sanitizer pass: failures keep file:line, and optimised
# code compiles about a quarter faster without full debug info (juju-cassette's main.cpp 6.9 ->
# 5.1 CPU seconds; test files at -O0 about 8%).
begin_stage build
tools/build.sh -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG"
end_stage

# Style and lint (clang-format, then clang-tidy on the library), with the build's compile
# commands; tools/lint.sh --fix reformats.
begin_stage lint
tools/lint.sh "${BUILD_DIR:-build}"
end_stage

begin_stage tests
run_ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j"$(nproc)"
end_stage

# Sanitizers: every test again (benchmarks and the install check are not tests of the code).
# Line tables only (-g1): ASan's reports keep file:line, and the build takes a third less.
asan_dir=${ASAN_BUILD_DIR:-build-asan}
begin_stage "asan build"
BUILD_DIR=$asan_dir CMAKE_BUILD_TYPE=Debug tools/build.sh -DJUBILANT_SANITIZE=ON \
  -DJUBILANT_BUILD_BENCHMARKS=OFF -DCMAKE_CXX_FLAGS_DEBUG=-g1
end_stage

# LeakSanitizer is on by default: not naming detect_leaks here leaves fake-juju's own default
# (off; see tools/fake-juju/sanitizer_options.cpp) in place for its thousands of short runs.
begin_stage "asan tests"
ASAN_OPTIONS=abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  run_ctest --test-dir "$asan_dir" --output-on-failure -j"$(nproc)" -LE examples
end_stage

begin_stage "fuzz build"
tools/fuzz.sh build
end_stage

begin_stage "fuzz runs"
FUZZ_SECONDS=${FUZZ_SECONDS:-10} tools/fuzz.sh run
end_stage
