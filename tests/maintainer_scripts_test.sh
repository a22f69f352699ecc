#!/usr/bin/env bash
# The package's maintainer scripts, as dpkg runs them, on the hosts they meet: systemd with libvirtd or virtqemud
# running or not, a policy-rc.d that forbids actions, sysvinit, dpkg --root; a first install, an upgrade, an admin
# who disabled the watch service. systemctl, deb-systemd-helper and invoke-rc.d are stand-ins that answer as those
# hosts would and record what they are asked; the real deb-systemd-invoke sits between postinst and systemctl.
# (tests/e2e/systemd_test.py runs the real systemd and deb-systemd-helper.) Each case runs in a private mount namespace with
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
  *is-enabled*) for unit in $VCD_ENABLED; do case "$*" in *" $unit") echo enabled; exit 0 ;; esac; done
                echo disabled; exit 1 ;;
  reload*) [ -z "${VCD_RELOAD_FAILS:-}" ] || exit 1 ;;
  *" start "*) [ -z "${VCD_START_FAILS:-}" ] || exit 1 ;;
esac
exit 0
SH
cat >"$work/bin/deb-systemd-helper" <<'SH'
#!/bin/sh
echo "deb-systemd-helper $*" >>"$VCD_CALLS"
case "$*" in *was-enabled*) [ "${VCD_WAS_ENABLED:-yes}" = yes ] || exit 1 ;; esac
exit 0
SH
cat >"$work/bin/invoke-rc.d" <<'SH'
#!/bin/sh
echo "invoke-rc.d $*" >>"$VCD_CALLS"
case "$2" in status) case " $VCD_ACTIVE " in *" $1.service "*) exit 0 ;; esac; exit 3 ;; esac
exit 0
SH
chmod +x "$work/bin/systemctl" "$work/bin/deb-systemd-helper" "$work/bin/invoke-rc.d"
# libvirt-daemon-system-sysv's init script, as a sysvinit host has it (invoke-rc.d, a stand-in, never runs it).
mkdir -p "$work/init.d"
printf '#!/bin/sh\nexit 0\n' >"$work/init.d/libvirtd"
chmod +x "$work/init.d/libvirtd"
mknod "$work/policy-allow/policy-rc.d" c 0 0  # an overlay whiteout: no policy-rc.d, as on a stock host
printf '#!/bin/sh\nexit 101\n' >"$work/policy-deny/policy-rc.d"
chmod +x "$work/policy-deny/policy-rc.d"

# run_script INIT POLICY ACTIVE SCRIPT ARGS…: INIT systemd|sysv; POLICY allow|deny; ACTIVE the running units.
# The watch service counts as enabled (VCD_ENABLED), as deb-systemd-helper enable leaves it, unless a case says.
# Leaves the exit status in $work/status, stdout+stderr in $work/out, the stand-ins' calls in $work/calls.
run_script() {
  local init=$1 policy=$2 active=$3; shift 3
  : >"$work/calls"
  VCD_CALLS="$work/calls" VCD_ACTIVE="$active" VCD_ENABLED="${VCD_ENABLED-$watch}" unshare -m --propagation private bash -c '
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
prerm="$work/control/prerm"
postrm="$work/control/postrm"
watch=virt-configdrive-watch.service

run_script systemd allow "libvirtd.service" "$postinst" configure
check "postinst: systemd, libvirtd running: exits 0" exited_0
check "postinst: systemd, libvirtd running: reloads it" called "systemctl reload libvirtd.service"
check "postinst: systemd, libvirtd running: leaves virtqemud alone" never_called "reload virtqemud"

run_script systemd allow "virtqemud.service" "$postinst" configure
check "postinst: modular daemons: reloads virtqemud" called "systemctl reload virtqemud.service"
check "postinst: modular daemons: leaves libvirtd alone" never_called "reload libvirtd"

run_script systemd allow "" "$postinst" configure
check "postinst: no daemon running: exits 0" exited_0
check "postinst: no daemon running: reloads nothing" never_called " reload\b"
check "postinst: no daemon running: says nothing" test ! -s "$work/out"

run_script systemd deny "libvirtd.service" "$postinst" configure
check "postinst: policy-rc.d forbids: exits 0" exited_0
check "postinst: policy-rc.d forbids: reloads nothing" never_called " reload\b"

VCD_RELOAD_FAILS=1 run_script systemd allow "libvirtd.service" "$postinst" configure
check "postinst: a failing reload still exits 0" exited_0
check "postinst: a failing reload says what to run" grep -q "systemctl reload libvirtd.service" "$work/out"

run_script sysv allow "libvirtd.service" "$postinst" configure
check "postinst: sysvinit, libvirtd running: reloads it" called "invoke-rc.d libvirtd reload"
run_script sysv allow "" "$postinst" configure
check "postinst: sysvinit, nothing running: exits 0" exited_0
check "postinst: sysvinit, nothing running: reloads nothing" never_called " reload\b"

DPKG_ROOT=/srv/chroot run_script systemd allow "libvirtd.service" "$postinst" configure
check "postinst: dpkg --root: exits 0" exited_0
check "postinst: dpkg --root: never reloads the host's daemon" never_called " reload\b"

run_script systemd allow "" "$postinst" configure
check "postinst: first install: enables the watch service" called "deb-systemd-helper enable $watch"
check "postinst: first install: lets systemd read the new unit" called "systemctl --system daemon-reload"
check "postinst: first install: starts the watch service" called "systemctl --quiet --system start $watch"
check "postinst: first install: restarts nothing" never_called "restart"

run_script systemd allow "libvirtd.service $watch" "$postinst" configure 0.1.0
check "postinst: upgrade: restarts the watch service (the new binary)" called \
  "systemctl --quiet --system restart $watch"
check "postinst: upgrade: exits 0" exited_0

VCD_WAS_ENABLED=no VCD_ENABLED="" run_script systemd allow "" "$postinst" configure 0.1.0
check "postinst: the admin disabled the watch: it stays disabled" never_called "deb-systemd-helper enable"
check "postinst: the admin disabled the watch: its state is kept up to date" called \
  "deb-systemd-helper update-state $watch"
check "postinst: the admin disabled the watch: not started" never_called "start $watch"

run_script systemd deny "" "$postinst" configure
check "postinst: policy-rc.d forbids: the watch is enabled" called "deb-systemd-helper enable $watch"
check "postinst: policy-rc.d forbids: the watch is not started" never_called "start $watch"

VCD_START_FAILS=1 run_script systemd allow "" "$postinst" configure
check "postinst: a watch that fails to start: exits 0" exited_0
check "postinst: a watch that fails to start: says what to run" grep -q "systemctl start $watch" "$work/out"

run_script sysv allow "" "$postinst" configure
check "postinst: sysvinit: the watch is enabled for when systemd runs" called "deb-systemd-helper enable $watch"
check "postinst: sysvinit: no systemctl call" never_called "systemctl"

DPKG_ROOT=/srv/chroot run_script systemd allow "" "$postinst" configure
check "postinst: dpkg --root: the watch is not started on the host" never_called "start $watch"
check "postinst: dpkg --root: no daemon-reload on the host" never_called "daemon-reload"

run_script systemd allow "$watch" "$prerm" remove
check "prerm remove: exits 0" exited_0
check "prerm remove: stops the watch service" called "systemctl stop $watch"
run_script systemd allow "$watch" "$prerm" upgrade 0.3.0
check "prerm upgrade: leaves the watch running (postinst restarts it)" never_called "stop"
run_script sysv allow "" "$prerm" remove
check "prerm remove on sysvinit: no systemctl call" never_called "systemctl"

run_script systemd allow "libvirtd.service" "$postrm" remove
check "postrm remove: exits 0" exited_0
check "postrm remove: says what VMs keep" grep -q "VMs keep their <cd:configdrive> metadata" "$work/out"
check "postrm remove: masks the watch service while its unit is gone" called "deb-systemd-helper mask $watch"
run_script systemd allow "libvirtd.service" "$postrm" purge
check "postrm purge: exits 0" exited_0
check "postrm purge: forgets the watch service's enablement" called "deb-systemd-helper purge $watch"
check "postrm purge: unmasks the watch service" called "deb-systemd-helper unmask $watch"
check "postrm purge: says it keeps secret.key" grep -q "Kept: /etc/virt-configdrive/secret.key" "$work/out"
check "postrm purge: says it keeps the metadata, the drives and the records" grep -q "metadata, the drives in the pool (/var/lib/libvirt/configdrive) and which of them this host placed (/var/lib/virt-configdrive)" "$work/out"

finish
