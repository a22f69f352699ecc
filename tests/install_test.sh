#!/bin/sh
# `cmake --install` lays the pieces out as the README's Install says, here below a DESTDIR. Usage: install_test.sh BUILD_DIR
set -eu
destdir=$(mktemp -d)
trap 'rm -rf "$destdir"' EXIT
DESTDIR="$destdir" cmake --install "$1" --prefix /usr >/dev/null
passed=0 failed=0
check() { if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $*" >&2; fi; }
check test -x "$destdir/usr/lib/libvirt/virt-configdrive-hook"
check test -x "$destdir/usr/bin/virt-configdrive"
check test "$(readlink "$destdir/etc/libvirt/hooks/qemu.d/virt-configdrive")" = /usr/lib/libvirt/virt-configdrive-hook
check test "$(readlink "$destdir/etc/libvirt/hooks/daemon.d/virt-configdrive")" = /usr/lib/libvirt/virt-configdrive-hook
check test -s "$destdir/etc/virt-configdrive/config.json"
check test -s "$destdir/usr/share/man/man1/virt-configdrive.1.gz"
check test -s "$destdir/usr/share/bash-completion/completions/virt-configdrive"
check test ! -e "$destdir/usr/libexec"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
