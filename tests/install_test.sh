#!/bin/sh
# `cmake --install` lays the pieces out as SPEC §2 says, here below a DESTDIR. Usage: install_test.sh BUILD_DIR
set -eu
destdir=$(mktemp -d)
trap 'rm -rf "$destdir"' EXIT
DESTDIR="$destdir" cmake --install "$1" --prefix /usr >/dev/null
passed=0 failed=0
check() { if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $*" >&2; fi; }
check test -x "$destdir/usr/libexec/virt-configdrive/qemu-hook"
check test -x "$destdir/usr/bin/virt-configdrive"
check test "$(readlink "$destdir/etc/libvirt/hooks/qemu.d/virt-configdrive")" = /usr/libexec/virt-configdrive/qemu-hook
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
