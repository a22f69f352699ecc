#!/usr/bin/env bash
# The README's scripts/demo, on the build made already: it succeeds, prints what the guest read from its drive and
# what it reads after the update without a reboot, and the drive is gone once the VM stops.
# Usage: demo_test.sh BUILD_DIR
set -uo pipefail
here=$(dirname "$(realpath "$0")")
source "$here/check.sh"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$here/../scripts/demo" --built "$1" >"$out" 2>&1
status=$?
check "scripts/demo exits 0" test "$status" = 0
check "the guest found its drive" grep -q '^found LABEL=config-2 on /dev/' "$out"
check "the guest read its hostname" grep -q '"hostname": *"demo"' "$out"
check "the guest read its user data" grep -q 'echo hello from virt-configdrive' "$out"
check "the guest read the update without a reboot" \
  sh -c 'sed -n "/^== what the guest reads now/,\$p" "$1" | grep -q "updated while running"' - "$out"
check "the drive is removed once the VM stops" grep -q '\.iso: removed$' "$out"
[ "$failed" = 0 ] || tail -n 40 "$out" >&2
finish
