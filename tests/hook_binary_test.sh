#!/usr/bin/env bash
# The virt-configdrive-hook binary as libvirtd runs it, in a private mount namespace: its own /etc/virt-configdrive and
# /var/lib/virt-configdrive, and a 512 KiB tmpfs holding the pool, so that a full disk is real.
# Usage: hook_binary_test.sh PATH/TO/virt-configdrive-hook
set -euo pipefail
hook=$(realpath "$1")
if [ -z "${VCD_IN_NAMESPACE:-}" ]; then
  exec env VCD_IN_NAMESPACE=1 unshare -m --propagation private "$0" "$@"
fi

source "$(dirname "$(realpath "$0")")/check.sh"

work=$(mktemp -d)
cleanup() {
  local status=$?
  for mounted in "$work/disk/pool2" "$work/disk" /etc/virt-configdrive /var/lib/virt-configdrive; do
    mountpoint -q "$mounted" && umount "$mounted"
  done
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
mkdir -p "$work/etc" "$work/state" "$work/disk" /etc/virt-configdrive /var/lib/virt-configdrive
mount --bind "$work/etc" /etc/virt-configdrive
mount --bind "$work/state" /var/lib/virt-configdrive
mount -t tmpfs -o size=512k tmpfs "$work/disk"
pool="$work/disk/pool"
echo "{\"pool\": \"vcd-test-no-such-pool\", \"pool_path\": \"$pool\"}" >/etc/virt-configdrive/config.json
uuid=0d7a3c52-5e2b-4f7e-9d41-2f6a0c1b8e93

domain() {  # domain USER_DATA_BASE64
  echo "<domain><name>full</name><uuid>$uuid</uuid><metadata><cd:configdrive xmlns:cd='urn:virt-configdrive:metadata:1'>
  <cd:user-data encoding='base64'>$1</cd:user-data></cd:configdrive></metadata><devices>
  <disk type='file' device='cdrom'><source file='$pool/$uuid.iso'/><target dev='hdd' bus='ide'/></disk></devices></domain>"
}

# A first start places the drive; stdout stays empty.
domain "$(echo first | base64)" | "$hook" full prepare begin - >"$work/out" 2>"$work/err"
check "first prepare places the drive" test -s "$pool/$uuid.iso"
check "stdout is only for libvirt" test ! -s "$work/out"
cp "$pool/$uuid.iso" "$work/first.iso"

# Fill the disk, then change the user data: the new drive cannot be written.
dd if=/dev/zero of="$work/disk/filler" bs=4k 2>/dev/null || true
big=$(head -c 300000 /dev/urandom | base64 -w0)
set +e
domain "$big" | "$hook" full prepare begin - >"$work/out" 2>"$work/err"
status=$?
set -e
check "a full disk fails the start" test "$status" = 1
check "with one line on stderr" test "$(wc -l <"$work/err")" = 1
check "naming what failed and why" grep -q "^virt-configdrive: full: .*staging: cannot write: No space left on device$" "$work/err"
check "the old drive is intact" cmp -s "$pool/$uuid.iso" "$work/first.iso"
check "no staging debris" test -z "$(ls "$work/disk/.virt-configdrive" | grep staging || true)"

# A pool on another mount (a shared pool): rename(2) cannot leave the staging dir, so staging moves into the pool.
rm -f "$work/disk/filler"
mkdir -p "$work/shared" "$work/disk/pool2"
mount --bind "$work/shared" "$work/disk/pool2"
echo "{\"pool\": \"vcd-test-no-such-pool\", \"pool_path\": \"$work/disk/pool2\"}" >/etc/virt-configdrive/config.json
set +e
domain "$(echo shared | base64)" | sed "s|$pool/|$work/disk/pool2/|" | "$hook" full prepare begin - >"$work/out" 2>"$work/err"
status=$?
set -e
check "a pool on another mount is placed into" test "$status" = 0 -a -s "$work/shared/$uuid.iso"
check "without staging debris there" test -z "$(ls -A "$work/shared" | grep -v "^$uuid.iso$" || true)"
umount "$work/disk/pool2"

# Anything but prepare/migrate/restore begin and release end exits 0 at once, without reading stdin.
set +e
"$hook" full reconnect begin - <<<"not xml" >"$work/out" 2>"$work/err"
status=$?
set -e
check "reconnect exits 0" test "$status" = 0
check "reconnect prints nothing" test ! -s "$work/out" -a ! -s "$work/err"

# What is decided before the C++ runtime starts (hook/main.cc) ends as runHook would end it.
set +e
{ echo "<domain><name>huge</name>"; head -c $((96 << 20)) /dev/zero | tr '\0' ' '; echo "</domain>"; } |
  "$hook" huge prepare begin - >"$work/out" 2>"$work/err"
status=$?
set -e
check "domain XML over 96 MiB fails the start" test "$status" = 1
check "with one line naming stdin and the bound" \
  test "$(cat "$work/err")" = "virt-configdrive: huge: the domain XML on stdin: more than 100663296 bytes"
# (From a file: the hook ends without reading stdin, and a pipe's writer could then die of SIGPIPE.)
domain "$(echo unprivileged | base64)" >"$work/unprivileged.xml"
set +e
setpriv --reuid=nobody --regid=nogroup --clear-groups "$hook" full prepare begin - <"$work/unprivileged.xml" \
  >"$work/out" 2>"$work/err"
status=$?
set -e
check "an unprivileged (session) daemon's call does nothing" test "$status" = 0 -a ! -s "$work/out" -a ! -s "$work/err"
set +e
echo "<domain><name>plain</name><devices><disk" | "$hook" plain prepare begin - >"$work/out" 2>"$work/err"
status=$?
set -e
check "malformed XML of a domain without a drive is not judged" test "$status" = 0 -a ! -s "$work/err"

set +e
"$hook" >/dev/null 2>"$work/err"
status=$?
set -e
check "no arguments is a usage error" test "$status" = 2

finish
