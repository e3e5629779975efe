#!/usr/bin/env bash
# The formatter check: every C and C++ file of the project matches the committed .clang-format
# (clang-format 14, Debian 12's). Lists the files that differ and exits 1; fix with
#   clang-format -i FILE...
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
formatter=$(command -v clang-format-14 || command -v clang-format || true)
if [ -z "$formatter" ]; then
  echo "format check: clang-format is not installed (apt install clang-format)" >&2
  exit 2
fi
if git -C "$root" rev-parse --git-dir >/dev/null 2>&1; then
  files=$(git ls-files '*.cpp' '*.hpp' '*.h' '*.c' | grep -v '^tests/data/' || true)
else
  files=$(find bus adapters tests -name '*.[ch]pp' -o -name '*.[ch]' | grep -v '^tests/data/')
fi
differ=()
for f in $files; do
  if ! "$formatter" --dry-run -Werror "$f" >/dev/null 2>&1; then differ+=("$f"); fi
done
if [ ${#differ[@]} -gt 0 ]; then
  echo "format check: ${#differ[@]} file(s) differ from .clang-format:" >&2
  printf '  %s\n' "${differ[@]}" >&2
  echo "fix with: $formatter -i ${differ[*]}" >&2
  exit 1
fi
echo "format check: $(echo "$files" | wc -w) files match .clang-format"
