#!/usr/bin/env bash
# The style and lint checks CI runs (tools/run-tests.sh, stage "lint"), as fmt's lint workflow
# does: clang-format over every C++ file (it must change nothing), then clang-tidy with
# .clang-tidy's checks over the library's sources, from a build's compile_commands.json.
#   tools/lint.sh [build-dir]     (default: build)
#   tools/lint.sh --fix           reformat in place instead of checking
set -euo pipefail
cd "$(dirname "$0")/.."

# Every C++ file of the project (the fuzz corpus holds inputs, not code).
cxx_files() { git ls-files '*.cpp' '*.hpp' | grep -v '^tests/fuzz/corpus/'; }

if [ "${1:-}" = --fix ]; then
  cxx_files | xargs clang-format -i
  exit 0
fi
build_dir=${1:-build}

echo "lint: clang-format"
cxx_files | xargs clang-format --dry-run --Werror ||
  { echo "lint: run tools/lint.sh --fix and commit the result" >&2; exit 1; }

# The library's translation units: its sources, or its unity batches when the build has them.
# (The testing kit needs std::source_location, which clang 14 does not offer with libstdc++ 12.)
echo "lint: clang-tidy"
python3 - "$build_dir/compile_commands.json" "$PWD" > "$build_dir/lint-files.txt" <<'PY'
import json, os, sys
root = sys.argv[2]
for entry in json.load(open(sys.argv[1])):
    path = os.path.normpath(os.path.join(entry["directory"], entry["file"]))
    rel = os.path.relpath(path, root)
    library_batch = "/src/CMakeFiles/jubilant.dir/Unity/" in path
    library_source = rel.startswith("src/") and not rel.startswith("src/testing/")
    if library_batch or library_source:
        print(path)
PY
[ -s "$build_dir/lint-files.txt" ] || { echo "lint: no library sources in $build_dir" >&2; exit 1; }
# GCC's warning options in the compile commands mean nothing to clang.
xargs -P "$(nproc)" -n 1 clang-tidy -p "$build_dir" --quiet \
  --extra-arg=-Wno-unknown-warning-option < "$build_dir/lint-files.txt"
echo "lint: clean"
