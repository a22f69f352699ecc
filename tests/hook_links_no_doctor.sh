#!/bin/sh
# Fails when the hook binary holds any function of doctor/ (the library doctor's diagnosis is built into): the
# hook is what every VM start runs, doctor is the operator's. Compares the external vcd:: symbols the archive
# defines with those the binary defines; fails when either list is empty, so that it cannot pass vacuously (a
# stripped binary, an archive not found).
# Usage: hook_links_no_doctor.sh HOOK_BINARY LIBVCD_DOCTOR_ARCHIVE
set -eu
hook=$1 archive=$2
# symbols FILE TYPES: the vcd:: functions FILE defines with an nm type in TYPES. Doctor's own are its strong ones (T):
# its weak ones (W) are inline functions of the headers below it (vcd::Error's destructor), which the hook has too.
symbols() { nm -C --defined-only "$1" 2>/dev/null | awk -v types="$2" 'index(types, $2) { $1 = ""; $2 = "";
  print substr($0, 3) }' | grep '^vcd::' | grep -v '(anonymous namespace)' | sort -u; }
doctor=$(symbols "$archive" T)
ours=$(symbols "$hook" TW)
[ -n "$doctor" ] || { echo "no vcd:: function defined in $archive" >&2; exit 1; }
echo "$ours" | grep -q '^vcd::runHook' || { echo "no vcd::runHook defined in $hook: stripped?" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%s\n' "$doctor" >"$work/doctor"
shared=$(printf '%s\n' "$ours" | grep -Fxf "$work/doctor" || true)
if [ -n "$shared" ]; then
  echo "$hook holds doctor's code:" >&2
  echo "$shared" >&2
  exit 1
fi
echo "1 passed, 0 failed ($(echo "$doctor" | wc -l) functions of doctor/, none in the hook)"
