#!/bin/sh
# Fails when the hook binary links libvirt; also fails when ldd cannot read it (so the check cannot pass vacuously).
set -eu
libs=$(ldd "$1")
echo "$libs" | grep -q 'libc\.so' || { echo "ldd did not list libc for $1" >&2; exit 1; }
if echo "$libs" | grep -q libvirt; then
  echo "$1 links libvirt:" >&2
  echo "$libs" | grep libvirt >&2
  exit 1
fi
echo "1 passed, 0 failed"
