#!/usr/bin/env bash
# The hook as the process libvirtd starts, as the package ships it: it loads no shared object but
# glibc's (libc, libm, the dynamic loader: the static libgcc's unwinder asks it for _dl_find_object), zlib and
# bzip2, and its peak memory with a megabyte of user data stays under 8 MiB plus twice the
# user data. (Its speed is measured by scripts/bench, never here.) Runs in a private mount namespace with its own
# /etc/virt-configdrive and /var/lib/virt-configdrive.
# Usage: hook_process_test.sh PATH/TO/virt-configdrive-hook
set -euo pipefail
hook=$(realpath "$1")
if [ -z "${VCD_IN_NAMESPACE:-}" ]; then
  exec env VCD_IN_NAMESPACE=1 unshare -m --propagation private "$0" "$@"
fi

source "$(dirname "$(realpath "$0")")/check.sh"

needed=$(readelf -d "$hook" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sed 's/^ld-linux.*/ld-linux/' | sort | tr '\n' ' ')
check "readelf lists what the hook needs" test -n "$needed"
check "the hook needs only glibc, zlib and bzip2 (found: $needed)" \
  test "$needed" = "ld-linux libbz2.so.1.0 libc.so.6 libm.so.6 libz.so.1 "

work=$(mktemp -d /var/tmp/vcd-hook-process-XXXXXX)
cleanup() {
  local status=$?
  for mounted in /etc/virt-configdrive /var/lib/virt-configdrive; do
    mountpoint -q "$mounted" && umount "$mounted"
  done
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
mkdir -p "$work/etc" "$work/state" /etc/virt-configdrive /var/lib/virt-configdrive
mount --bind "$work/etc" /etc/virt-configdrive
mount --bind "$work/state" /var/lib/virt-configdrive
pool="$work/pool"
echo "{\"pool\": \"vcd-test-no-such-pool\", \"pool_path\": \"$pool\"}" >/etc/virt-configdrive/config.json
uuid=3e9b1f40-7c2d-4a8e-b5f6-0d1c2e3f4a5b
user_data_bytes=$((1 << 20))
{
  echo "<domain><name>big</name><uuid>$uuid</uuid><metadata><cd:configdrive xmlns:cd='urn:virt-configdrive:metadata:1'>"
  echo "<cd:user-data encoding='base64'>"
  head -c "$user_data_bytes" /dev/urandom | base64
  echo "</cd:user-data></cd:configdrive></metadata><devices><disk type='file' device='cdrom'>"
  echo "<source file='$pool/$uuid.iso'/><target dev='hdd' bus='ide'/></disk></devices></domain>"
} >"$work/domain.xml"

# Peak RSS in KiB (GNU time forks the hook from a process of about 2 MiB; LC_ALL=C as libvirtd passes it). The
# hook's exit status goes to $work/status and its stderr to $work/err: GNU time prints the figure whatever the hook
# did, and a command substitution does not stop the script when it fails.
peak_rss() {
  local status=0
  env -i LC_ALL=C PATH=/usr/bin:/bin /usr/bin/time -f %M -o "$work/rss" "$hook" big prepare begin - \
    <"$work/domain.xml" >/dev/null 2>"$work/err" || status=$?
  echo "$status" >"$work/status"
  tail -n 1 "$work/rss"
}
# The placed drive as a file: device, inode and modification time (to the nanosecond).
drive_identity() { stat -c '%d %i %y' "$pool/$uuid.iso"; }
limit=$((8 * 1024 + 2 * user_data_bytes / 1024))
built=$(peak_rss)
check "placing it exits 0 (exit $(cat "$work/status"))" test "$(cat "$work/status")" = 0
check "a megabyte of user data is placed" test -s "$pool/$uuid.iso" -a ! -s "$work/err"
check "building it peaks at $built KiB, under $limit KiB" test "$built" -lt "$limit"
placed=$(drive_identity)
unchanged=$(peak_rss)
check "finding it unchanged exits 0 (exit $(cat "$work/status"))" test "$(cat "$work/status")" = 0
check "finding it unchanged writes nothing on stderr" test ! -s "$work/err"
check "the drive is left as it was: the same file, the same mtime ($placed; now $(drive_identity))" \
  test "$(drive_identity)" = "$placed"
check "finding it unchanged peaks at $unchanged KiB, under $limit KiB" test "$unchanged" -lt "$limit"

finish
