#!/usr/bin/env bash
# The real systemd as PID 1 of a lab host (scripts/lab): run inside the host's mount namespace by
#   scripts/lab exec LAB_DIR unshare --pid --fork --mount --propagation private --mount-proc systemd_host.sh LAB_DIR SD_DIR
# It gets private copies of what systemd and deb-systemd-helper write (/run, /dev, /etc/systemd/system,
# /var/lib/systemd, /var/log/journal, all in SD_DIR), no generators, and every unit the machine has masked except
# journald's: it boots an empty target, and a service started in it (the package's) pulls in nothing of the
# machine's. /run/libvirt stays the lab host's, so a service reaches its libvirtd.
# systemd's cgroups sit under vcd-lab-<name of SD_DIR's parent> in each hierarchy: the test removes them when it
# ends systemd (by pid).
set -euo pipefail
lab=$1 sd=$2
mkdir -p "$sd"/{etc-systemd,lib-systemd,journal,no-generators}
: >"$sd/console"

mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /run/libvirt /run/lock
mount --bind "$lab/run" /run/libvirt

# journald's /dev/log symlink, and systemd's console, stay in this /dev.
mount -t tmpfs -o mode=755 tmpfs /dev
mknod -m 666 /dev/null c 1 3; mknod -m 666 /dev/zero c 1 5; mknod -m 666 /dev/full c 1 7
mknod -m 666 /dev/random c 1 8; mknod -m 666 /dev/urandom c 1 9; mknod -m 666 /dev/tty c 5 0
touch /dev/console && mount --bind "$sd/console" /dev/console
mkdir -p /dev/shm && mount -t tmpfs tmpfs /dev/shm

mount --bind "$sd/etc-systemd" /etc/systemd/system
mount --bind "$sd/lib-systemd" /var/lib/systemd
mount --bind "$sd/journal" /var/log/journal
mount --bind "$sd/no-generators" /usr/lib/systemd/system-generators

keep=" systemd-journald.service systemd-journald.socket systemd-journald-dev-log.socket "
for unit in /usr/lib/systemd/system/*; do
  name=${unit##*/}
  case "$name" in *.target | *.slice | *.wants | *.requires | *.d) continue ;; esac
  case "$keep" in *" $name "*) continue ;; esac
  ln -sf /dev/null "/etc/systemd/system/$name"
done
printf '[Unit]\nDescription=lab host\nWants=systemd-journald.service\n' >/etc/systemd/system/vcd-lab.target

# Hybrid (cgroup v1 with name=systemd, and v2 at unified) or pure v2 at /sys/fs/cgroup.
cgroup=vcd-lab-$(basename "$(dirname "$sd")")
for hierarchy in /sys/fs/cgroup/systemd /sys/fs/cgroup/unified /sys/fs/cgroup; do
  [ -e "$hierarchy/cgroup.procs" ] || continue
  [ "$hierarchy" != /sys/fs/cgroup ] || [ ! -d /sys/fs/cgroup/systemd ] || continue
  mkdir -p "$hierarchy/$cgroup"
  echo $$ >"$hierarchy/$cgroup/cgroup.procs"
done
exec /lib/systemd/systemd --system --unit=vcd-lab.target
