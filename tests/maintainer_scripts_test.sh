#!/usr/bin/env bash
# The package's maintainer scripts, as dpkg runs them, on the hosts they meet: systemd with libvirtd or virtqemud
# running or not, a policy-rc.d that forbids actions, sysvinit, dpkg --root. systemd itself cannot run here:
# systemctl and invoke-rc.d are stand-ins that answer as those hosts would and record what they are asked; the
# real deb-systemd-invoke sits between postinst and systemctl. Each case runs in a private mount namespace with
# its own /run, so the machine's /run and /usr are never touched. Usage: maintainer_scripts_test.sh PACKAGE.deb
set -uo pipefail
deb=$(realpath "$1")
source "$(dirname "$(realpath "$0")")/check.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dpkg-deb -e "$deb" "$work/control"

mkdir -p "$work/bin" "$work/policy-allow" "$work/policy-deny"
cat >"$work/bin/systemctl" <<'SH'
#!/bin/sh
echo "systemctl $*" >>"$VCD_CALLS"
case "$*" in
  *is-active*) for unit in $VCD_ACTIVE; do case "$*" in *" $unit") exit 0 ;; esac; done; exit 3 ;;
  reload*) [ -z "${VCD_RELOAD_FAILS:-}" ] || exit 1 ;;
esac
exit 0
SH
cat >"$work/bin/invoke-rc.d" <<'SH'
#!/bin/sh
echo "invoke-rc.d $*" >>"$VCD_CALLS"
case "$2" in status) case " $VCD_ACTIVE " in *" $1.service "*) exit 0 ;; esac; exit 3 ;; esac
exit 0
SH
chmod +x "$work/bin/systemctl" "$work/bin/invoke-rc.d"
# libvirt-daemon-system-sysv's init script, as a sysvinit host has it (invoke-rc.d, a stand-in, never runs it).
mkdir -p "$work/init.d"
printf '#!/bin/sh\nexit 0\n' >"$work/init.d/libvirtd"
chmod +x "$work/init.d/libvirtd"
mknod "$work/policy-allow/policy-rc.d" c 0 0  # an overlay whiteout: no policy-rc.d, as on a stock host
printf '#!/bin/sh\nexit 101\n' >"$work/policy-deny/policy-rc.d"
chmod +x "$work/policy-deny/policy-rc.d"

# run_script INIT POLICY ACTIVE SCRIPT ARGS…: INIT systemd|sysv; POLICY allow|deny; ACTIVE the running units.
# Leaves the exit status in $work/status, stdout+stderr in $work/out, the stand-ins' calls in $work/calls.
run_script() {
  local init=$1 policy=$2 active=$3; shift 3
  : >"$work/calls"
  VCD_CALLS="$work/calls" VCD_ACTIVE="$active" unshare -m --propagation private bash -c '
    work=$1 init=$2 policy=$3; shift 3
    mount -t tmpfs tmpfs /run
    [ "$init" = systemd ] && mkdir -p /run/systemd/system
    [ "$init" = sysv ] && mount -t overlay overlay -o "lowerdir=$work/init.d:/etc/init.d" /etc/init.d
    mount -t overlay overlay -o "lowerdir=$work/policy-$policy:/usr/sbin" /usr/sbin
    PATH="$work/bin:$PATH" "$@"
  ' - "$work" "$init" "$policy" "$@" >"$work/out" 2>&1
  echo $? >"$work/status"
}
exited_0() { [ "$(cat "$work/status")" = 0 ] || { cat "$work/out" >&2; return 1; }; }
called() { grep -qxF "$1" "$work/calls" || { echo "calls were: $(cat "$work/calls")" >&2; return 1; }; }
never_called() { ! grep -q "$1" "$work/calls" || { echo "calls were: $(cat "$work/calls")" >&2; return 1; }; }
postinst="$work/control/postinst"
postrm="$work/control/postrm"

run_script systemd allow "libvirtd.service" "$postinst" configure
check "postinst: systemd, libvirtd running: exits 0" exited_0
check "postinst: systemd, libvirtd running: reloads it" called "systemctl reload libvirtd.service"
check "postinst: systemd, libvirtd running: leaves virtqemud alone" never_called "reload virtqemud"

run_script systemd allow "virtqemud.service" "$postinst" configure
check "postinst: modular daemons: reloads virtqemud" called "systemctl reload virtqemud.service"
check "postinst: modular daemons: leaves libvirtd alone" never_called "reload libvirtd"

run_script systemd allow "" "$postinst" configure
check "postinst: no daemon running: exits 0" exited_0
check "postinst: no daemon running: reloads nothing" never_called "reload"
check "postinst: no daemon running: says nothing" test ! -s "$work/out"

run_script systemd deny "libvirtd.service" "$postinst" configure
check "postinst: policy-rc.d forbids: exits 0" exited_0
check "postinst: policy-rc.d forbids: reloads nothing" never_called "reload"

VCD_RELOAD_FAILS=1 run_script systemd allow "libvirtd.service" "$postinst" configure
check "postinst: a failing reload still exits 0" exited_0
check "postinst: a failing reload says what to run" grep -q "systemctl reload libvirtd.service" "$work/out"

run_script sysv allow "libvirtd.service" "$postinst" configure
check "postinst: sysvinit, libvirtd running: reloads it" called "invoke-rc.d libvirtd reload"
run_script sysv allow "" "$postinst" configure
check "postinst: sysvinit, nothing running: exits 0" exited_0
check "postinst: sysvinit, nothing running: reloads nothing" never_called "reload"

DPKG_ROOT=/srv/chroot run_script systemd allow "libvirtd.service" "$postinst" configure
check "postinst: dpkg --root: exits 0" exited_0
check "postinst: dpkg --root: never reloads the host's daemon" never_called "reload"

run_script systemd allow "libvirtd.service" "$postrm" remove
check "postrm remove: exits 0" exited_0
check "postrm remove: says what VMs keep" grep -q "VMs keep their <cd:configdrive> metadata" "$work/out"
run_script systemd allow "libvirtd.service" "$postrm" purge
check "postrm purge: exits 0" exited_0
check "postrm purge: says it keeps secret.key" grep -q "Kept: /etc/virt-configdrive/secret.key" "$work/out"
check "postrm purge: says it keeps the metadata, the drives and the records" grep -q "metadata, the drives in the pool (/var/lib/libvirt/configdrive) and which of them this host placed (/var/lib/virt-configdrive)" "$work/out"

finish
