#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (library instrumented too, with ASan and UBSan) and
# runs each for FUZZ_SECONDS (default 20) from its seed corpus. New inputs go to a scratch copy,
# never into the repository; a crash leaves its input in FUZZ_ARTIFACTS and fails the script.
# A longer run by hand: FUZZ_SECONDS=600 tools/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${FUZZ_BUILD_DIR:-build-fuzz}
seconds=${FUZZ_SECONDS:-20}
artifacts=${FUZZ_ARTIFACTS:-$build_dir/fuzz-artifacts}
targets=(cassette_fuzz json_types_fuzz fake_engine_fuzz redact_fuzz)

CC=clang CXX=clang++ cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DJUBILANT_FUZZ=ON -DJUBILANT_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$build_dir" -j"$(nproc)" --target "${targets[@]}"

mkdir -p "$artifacts"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for target in "${targets[@]}"; do
  seeds="tests/fuzz/corpus/${target%_fuzz}"
  cp -r "$seeds" "$scratch/$target"
  log="$scratch/$target.log"
  if ! "$build_dir/tests/fuzz/$target" -max_total_time="$seconds" -print_final_stats=1 \
      -artifact_prefix="$artifacts/$target-" "$scratch/$target" >"$log" 2>&1; then
    tail -40 "$log"
    echo "fuzz: $target FAILED; the input is in $artifacts" >&2
    exit 1
  fi
  runs=$(grep -m1 'stat::number_of_executed_units' "$log" | awk '{print $2}')
  echo "fuzz: $target: ${runs:-?} executions in ${seconds}s, no crash"
done
