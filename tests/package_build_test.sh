#!/usr/bin/env bash
# The .deb: built with CPack from the build tree, clean under lintian (no error, no warning), Depends from
# dpkg-shlibdeps, config.json a conffile, the hook where AppArmor lets libvirtd run it and linked from both hook
# directories, the watch service a unit systemd accepts, the release it was built on in its version and file name.
# Leaves BUILD_DIR/package/virt-configdrive_VERSION_ARCH.deb for the tests that install it.
# Usage: package_build_test.sh BUILD_DIR VERSION RELEASE   (VERSION: 0.3.0~deb12; RELEASE: deb12)
set -uo pipefail
build=$(realpath "$1") version=$2 release=$3
source "$(dirname "$(realpath "$0")")/check.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$build" && cpack -G DEB >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log" >&2; echo "cpack failed" >&2; exit 1; }
deb="$build/package/virt-configdrive_${version}_$(dpkg --print-architecture).deb"
check "cpack wrote $deb" test -s "$deb"
. /etc/os-release
check "the release is this machine's ($ID $VERSION_ID)" test "$release" = "$([ "$ID" = debian ] && echo deb || echo "$ID")$VERSION_ID"
check "the package's version is the project's ($version)" test "$(dpkg-deb -f "$deb" Version)" = "$version"
check "the file name names the release" test "${deb%~"$release"_*.deb}" != "$deb"

lintian --tag-display-limit 0 "$deb" >"$work/lintian" 2>&1
grep -E '^[EW]: ' "$work/lintian" >&2
check "lintian finds no error and no warning" sh -c '! grep -qE "^[EW]: " "$1"' - "$work/lintian"

depends=$(dpkg-deb -f "$deb" Depends)
for library in libvirt0 libisofs6 libnettle8 libpugixml1v5; do
  check "Depends (from dpkg-shlibdeps) names $library" grep -q "$library" <<<"$depends"
done
check "config.json is a conffile" sh -c 'dpkg-deb -I "$1" conffiles | grep -qx /etc/virt-configdrive/config.json' - "$deb"

dpkg-deb -x "$deb" "$work/root"
check "the hook is under /usr/lib/libvirt" test -x "$work/root/usr/lib/libvirt/virt-configdrive-hook"
for driver in qemu daemon; do
  check "hooks/$driver.d links the hook" test "$(readlink "$work/root/etc/libvirt/hooks/$driver.d/virt-configdrive")" \
    = /usr/lib/libvirt/virt-configdrive-hook
done
check "the CLI is /usr/bin/virt-configdrive" test -x "$work/root/usr/bin/virt-configdrive"
check "the man page is installed" test -s "$work/root/usr/share/man/man1/virt-configdrive.1.gz"
check "the bash completion is installed" test -s "$work/root/usr/share/bash-completion/completions/virt-configdrive"
# /lib/systemd/system where /usr is not yet merged for good (Debian 12, Ubuntu 22.04), else /usr/lib/systemd/system.
case $release in
  deb12|ubuntu22.04) unit=lib/systemd/system/virt-configdrive-watch.service ;;
  *) unit=usr/lib/systemd/system/virt-configdrive-watch.service ;;
esac
check "the watch service is under /$unit" test -s "$work/root/$unit"
check "the watch service runs the packaged CLI's watch" grep -qx "ExecStart=/usr/bin/virt-configdrive watch" \
  "$work/root/$unit"
check "the watch service restarts on failure" grep -qx "Restart=on-failure" "$work/root/$unit"
# systemd's own parser, with the packaged /usr over the machine's (ExecStart must exist): not a word to say.
unshare -m --propagation private sh -c 'mount -t overlay overlay -o "lowerdir=$1/usr:/usr" /usr &&
  systemd-analyze verify --man=no "$1/$2"' - "$work/root" "$unit" >"$work/verify" 2>&1
check "systemd-analyze verify passes the watch service without a word" test "$?:$(cat "$work/verify")" = "0:"
check "the package stops the watch service before removal (prerm)" \
  sh -c 'dpkg-deb -I "$1" prerm | grep -q "deb-systemd-invoke stop virt-configdrive-watch.service"' - "$deb"
check "the packaged hook links no libvirt" sh -c '! ldd "$1" | grep -q libvirt' - \
  "$work/root/usr/lib/libvirt/virt-configdrive-hook"
check "the packaged binaries are stripped" sh -c '! file "$1" "$2" | grep -q "not stripped"' - \
  "$work/root/usr/lib/libvirt/virt-configdrive-hook" "$work/root/usr/bin/virt-configdrive"

finish
