#!/usr/bin/env bash
# The C++ is formatted as .clang-format says. Fails naming each file clang-format would change (and
# where). Its output differs between clang-format's versions: this is Debian 12's (14); scripts/test-release leaves
# the test out (label `format`).
# Usage: tests/clang_format_test.sh SOURCE_DIR
set -euo pipefail
source=${1:?usage: tests/clang_format_test.sh SOURCE_DIR}
source=${source%/}
# Every .cc and .h but those of build directories (build, build-asan…) and hidden ones (.git).
mapfile -d '' files < <(find "$source" -mindepth 1 \( -path "$source/build*" -o -type d -name '.*' \) -prune -o \
                             -type f \( -name '*.cc' -o -name '*.h' \) -print0)
[ "${#files[@]}" -gt 100 ] || { echo "FAILED: only ${#files[@]} C++ files under $source: is it the project?" >&2; exit 1; }
# One clang-format for all of them: it reads every file, and names each place it would change.
if report=$(clang-format --style=file --dry-run --Werror "${files[@]}" 2>&1); then
  echo "${#files[@]} files read, all formatted"
  exit 0
fi
places=$(grep -o '^[^ ]*: error: code should be clang-formatted' <<<"$report" | cut -d: -f1-3 || true)
[ -n "$places" ] || { echo "$report" >&2; echo "FAILED: clang-format failed" >&2; exit 1; }
version=$(clang-format --version | grep -o '[0-9][0-9.]*' | head -n1)
unformatted=$(cut -d: -f1 <<<"$places" | sort -u)
while read -r file; do
  lines=$(awk -F: -v file="$file" '$1 == file && !seen[$2]++ {print $2}' <<<"$places" | head -n 3 | paste -sd,)
  echo "FAILED: ${file#"$source"/} is not as clang-format $version formats it (lines $lines…)" >&2
done <<<"$unformatted"
echo "${#files[@]} files read, $(wc -l <<<"$unformatted") not formatted"
exit 1
