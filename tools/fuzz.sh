#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (library instrumented too, with ASan and UBSan) and
# runs each for FUZZ_SECONDS (default 20) from its seed corpus. New inputs go to a scratch copy,
# never into the repository; a crash leaves its input in FUZZ_ARTIFACTS and fails the script.
#   tools/fuzz.sh            build, then run
#   tools/fuzz.sh build      build only (CI times the two apart)
#   tools/fuzz.sh run        run only, on an existing build
# A longer run by hand: FUZZ_SECONDS=600 tools/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${FUZZ_BUILD_DIR:-build-fuzz}
seconds=${FUZZ_SECONDS:-20}
artifacts=${FUZZ_ARTIFACTS:-$build_dir/fuzz-artifacts}
targets=(cassette_fuzz json_types_fuzz fake_engine_fuzz redact_fuzz)
step=${1:-all}
case $step in all|build|run) ;; *) echo "usage: tools/fuzz.sh [build|run]" >&2; exit 2;; esac

if [ "$step" != run ]; then
  # -O1 with line tables, as libFuzzer's documentation suggests: crashes keep file:line, and
  # the instrumented build takes far less than -O2 -g.
  generator=()
  if [ ! -f "$build_dir/CMakeCache.txt" ] && command -v ninja >/dev/null; then
    generator=(-G Ninja)
  fi
  CC=clang CXX=clang++ cmake -S . -B "$build_dir" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" \
    -DJUBILANT_FUZZ=ON -DJUBILANT_BUILD_BENCHMARKS=OFF >/dev/null
  cmake --build "$build_dir" -j"$(nproc)" --target "${targets[@]}"
fi
[ "$step" = build ] && exit 0

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
