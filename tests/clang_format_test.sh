#!/usr/bin/env bash
# STYLE.md: the C++ is formatted as .clang-format says. Fails naming each file clang-format would change (and
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
unformatted=0
for file in "${files[@]}"; do
  if ! clang-format --style=file --dry-run --Werror "$file" 2>"${TMPDIR:-/tmp}/clang-format.$$"; then
    grep -m 3 'violations' "${TMPDIR:-/tmp}/clang-format.$$" >&2 || true
    echo "FAILED: ${file#"$source"/} is not as clang-format $(clang-format --version | grep -o '[0-9][0-9.]*' | head -n1) formats it" >&2
    unformatted=$((unformatted + 1))
  fi
done
rm -f "${TMPDIR:-/tmp}/clang-format.$$"
echo "${#files[@]} files read, $unformatted not formatted"
[ "$unformatted" = 0 ]
