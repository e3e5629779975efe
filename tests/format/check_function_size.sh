#!/usr/bin/env bash
# No production function over 80 lines (ARCHITECTURE.md): clang-tidy's readability-function-size
# over bus/ and adapters/, with the build's compile_commands.json. Not part of tests/run.sh (it
# takes minutes on two cores); run it before a change that grows functions:
#   tests/format/check_function_size.sh [BUILD_DIR] [FILE...]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
shift || true
cd "$root"
if [ ! -f "$build/compile_commands.json" ]; then
  echo "no $build/compile_commands.json: configure the build first" >&2; exit 2
fi
tidy=$(command -v clang-tidy-14 || command -v clang-tidy || true)
[ -n "$tidy" ] || { echo "clang-tidy is not installed (apt install clang-tidy)" >&2; exit 2; }
if [ "$#" -gt 0 ]; then files=("$@"); else mapfile -t files < <(git ls-files 'bus/*.cpp' 'adapters/*.cpp'); fi
out=$(printf '%s\n' "${files[@]}" | xargs -P"$(nproc)" -n4 "$tidy" -p "$build" --quiet \
  --checks='-*,readability-function-size' \
  --config='{CheckOptions: [{key: readability-function-size.LineThreshold, value: 80}]}' \
  2>/dev/null | grep -E 'warning:|note: [0-9]+ lines' || true)
if [ -n "$out" ]; then echo "$out"; exit 1; fi
echo "no function over 80 lines in ${#files[@]} files"
