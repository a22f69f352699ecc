#!/usr/bin/python3
"""The hook as the process libvirtd starts, side by side with what is beside it.

Every run is a new process, spawned as libvirtd spawns its hooks (arguments DOMAIN prepare begin -, the domain XML
on stdin) and timed from spawn to exit. Each row interleaves the hook with its baseline, run for run:
  - a domain without a config drive, against `cat` of the same XML;
  - a drive unchanged (the ISO in place), against `cat` of the same XML;
  - a full prepare (ISO absent: build, stage, fsync, rename, fsync the pool), against genisoimage with CloudStack's
    flags writing the same files (extracted from the hook's ISO) into the same directory.
Medians of --runs; the hook's peak RSS (ru_maxrss) against 8 MiB + twice the user data.
Runs in a private mount namespace: its own /etc/virt-configdrive and /var/lib/virt-configdrive, and a pool on the
machine's disk (/var/tmp), never the host's.
Usage: process_benchmark.py --hook HOOK [--runs N] [--sizes BYTES,...]
"""
import argparse
import base64
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
import drive_files  # noqa: E402

CD_NAMESPACE = "urn:virt-configdrive:metadata:1"
UUID = "5b0d2c8e-1f3a-4c6b-9e7d-8a2f4c6e0b13"
CLOUDSTACK_FLAGS = ["-ldots", "-allow-lowercase", "-allow-multidot", "-cache-inodes", "-l", "-quiet", "-J", "-r"]
STATE_DIRS = ("/etc/virt-configdrive", "/var/lib/virt-configdrive")
# Debian's eatmydata makes fsync(2) a no-op when preloaded: the row beside the full prepare shows what the hook's
# fsync of the staged ISO (and of the pool) costs. Never how the hook runs.
EATMYDATA = "/usr/lib/x86_64-linux-gnu/libeatmydata.so"
# What libvirtd passes to its hooks (virCommandAddEnvPassCommon): LC_ALL=C, and PATH and HOME from its own.
HOOK_ENVIRONMENT = {"LC_ALL": "C", "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                    "HOME": "/root"}


def domain_xml(pool, metadata):
    """A domain as libvirtd hands it to `prepare begin`: the live XML of a virt-install guest (about 5 KiB)."""
    drive = f"<cd:configdrive xmlns:cd='{CD_NAMESPACE}'>{metadata}</cd:configdrive>" if metadata is not None else ""
    controllers = "".join(
        f"<controller type='pci' index='{i}' model='pcie-root-port'><model name='pcie-root-port'/>"
        f"<target chassis='{i}' port='0x{0x10 + i:x}'/><alias name='pci.{i}'/>"
        f"<address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x{i - 1:x}'/></controller>"
        for i in range(1, 9))
    return f"""<domain type='kvm' id='7'>
  <name>web1</name>
  <uuid>{UUID}</uuid>
  <metadata><libosinfo:libosinfo xmlns:libosinfo="http://libosinfo.org/xmlns/libvirt/domain/1.0">
    <libosinfo:os id="http://debian.org/debian/12"/></libosinfo:libosinfo>{drive}</metadata>
  <memory unit='KiB'>2097152</memory>
  <currentMemory unit='KiB'>2097152</currentMemory>
  <vcpu placement='static'>2</vcpu>
  <resource><partition>/machine</partition></resource>
  <os><type arch='x86_64' machine='pc-q35-7.2'>hvm</type><boot dev='hd'/></os>
  <features><acpi/><apic/><vmport state='off'/></features>
  <cpu mode='host-passthrough' check='none' migratable='on'/>
  <clock offset='utc'><timer name='rtc' tickpolicy='catchup'/><timer name='pit' tickpolicy='delay'/>
    <timer name='hpet' present='no'/></clock>
  <on_poweroff>destroy</on_poweroff><on_reboot>restart</on_reboot><on_crash>destroy</on_crash>
  <pm><suspend-to-mem enabled='no'/><suspend-to-disk enabled='no'/></pm>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'><driver name='qemu' type='qcow2' discard='unmap'/>
      <source file='/var/lib/libvirt/images/web1.qcow2' index='3'/><backingStore/>
      <target dev='vda' bus='virtio'/><alias name='virtio-disk0'/>
      <address type='pci' domain='0x0000' bus='0x04' slot='0x00' function='0x0'/></disk>
    <disk type='file' device='cdrom'><driver name='qemu' type='raw'/><target dev='sda' bus='sata'/><readonly/>
      <alias name='sata0-0-0'/><address type='drive' controller='0' bus='0' target='0' unit='0'/></disk>
    <disk type='file' device='cdrom'><driver name='qemu' type='raw'/>
      <source file='{pool}/{UUID}.iso' index='1'/><backingStore/><target dev='sdb' bus='sata'/><readonly/>
      <alias name='sata0-0-1'/><address type='drive' controller='0' bus='0' target='0' unit='1'/></disk>
    <controller type='usb' index='0' model='qemu-xhci' ports='15'><alias name='usb'/>
      <address type='pci' domain='0x0000' bus='0x02' slot='0x00' function='0x0'/></controller>
    <controller type='pci' index='0' model='pcie-root'><alias name='pcie.0'/></controller>
    {controllers}
    <controller type='sata' index='0'><alias name='ide'/>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x1f' function='0x2'/></controller>
    <controller type='virtio-serial' index='0'><alias name='virtio-serial0'/>
      <address type='pci' domain='0x0000' bus='0x03' slot='0x00' function='0x0'/></controller>
    <interface type='network'><mac address='52:54:00:6b:3c:58'/>
      <source network='default' portid='d0a6c7e2-8c1b-4a55-9f3e-2b7d1c0e9a44' bridge='virbr0'/>
      <target dev='vnet6'/><model type='virtio'/><alias name='net0'/>
      <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/></interface>
    <serial type='pty'><source path='/dev/pts/3'/><target type='isa-serial' port='0'><model name='isa-serial'/>
      </target><alias name='serial0'/></serial>
    <console type='pty' tty='/dev/pts/3'><source path='/dev/pts/3'/><target type='serial' port='0'/>
      <alias name='serial0'/></console>
    <channel type='unix'><source mode='bind' path='/run/libvirt/qemu/channel/7-web1/org.qemu.guest_agent.0'/>
      <target type='virtio' name='org.qemu.guest_agent.0' state='disconnected'/><alias name='channel0'/>
      <address type='virtio-serial' controller='0' bus='0' port='1'/></channel>
    <input type='tablet' bus='usb'><alias name='input0'/><address type='usb' bus='0' port='1'/></input>
    <input type='mouse' bus='ps2'><alias name='input1'/></input>
    <input type='keyboard' bus='ps2'><alias name='input2'/></input>
    <graphics type='vnc' port='5900' autoport='yes' listen='127.0.0.1'><listen type='address' address='127.0.0.1'/>
      </graphics>
    <audio id='1' type='none'/>
    <video><model type='virtio' heads='1' primary='yes'/><alias name='video0'/>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'/></video>
    <memballoon model='virtio'><alias name='balloon0'/>
      <address type='pci' domain='0x0000' bus='0x05' slot='0x00' function='0x0'/></memballoon>
    <rng model='virtio'><backend model='random'>/dev/urandom</backend><alias name='rng0'/>
      <address type='pci' domain='0x0000' bus='0x06' slot='0x00' function='0x0'/></rng>
  </devices>
  <seclabel type='dynamic' model='apparmor' relabel='yes'><label>libvirt-{UUID}</label>
    <imagelabel>libvirt-{UUID}</imagelabel></seclabel>
  <seclabel type='dynamic' model='dac' relabel='yes'><label>+64055:+64055</label>
    <imagelabel>+64055:+64055</imagelabel></seclabel>
</domain>
"""


def user_data(size):
    """Cloud-config text of `size` bytes (a comment of random printable characters after the header)."""
    header = "#cloud-config\nruncmd:\n  - echo hello\n# "
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 "
    rng = random.Random(size)
    return (header + "".join(rng.choice(alphabet) for _ in range(max(0, size - len(header) - 1))) + "\n")[:size]


def drive_metadata(data):
    encoded = base64.encodebytes(data.encode()).decode()
    return (f"<cd:hostname>web1</cd:hostname><cd:public-key>ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBench bench@host"
            f"</cd:public-key><cd:user-data encoding='base64'>{encoded}</cd:user-data>")


def spawn(argv, stdin_path, environment=None):
    """Runs argv with stdin from stdin_path and stdout, stderr to /dev/null, as a new process. Returns
    (seconds from spawn to exit, exit status)."""
    actions = [(os.POSIX_SPAWN_OPEN, 0, stdin_path, os.O_RDONLY, 0),
               (os.POSIX_SPAWN_OPEN, 1, "/dev/null", os.O_WRONLY, 0),
               (os.POSIX_SPAWN_OPEN, 2, "/dev/null", os.O_WRONLY, 0)]
    start = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, environment or HOOK_ENVIRONMENT, file_actions=actions)
    _, status = os.waitpid(pid, 0)
    return time.perf_counter() - start, os.waitstatus_to_exitcode(status)


def peak_rss_kib(argv, stdin_path):
    """The peak RSS of argv, in KiB, as GNU time reports it. (posix_spawn's vfork would charge this Python's own
    RSS to the child: Linux keeps the larger of the old and the new image's peaks across exec. GNU time forks
    from a process of about 2 MiB.)"""
    with tempfile.NamedTemporaryFile("r") as report, open(stdin_path) as stdin:
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", report.name, *argv], stdin=stdin, env=HOOK_ENVIRONMENT,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        return int(report.read().strip().splitlines()[-1])


class Row:
    def __init__(self, name, baseline_name):
        self.name, self.baseline_name = name, baseline_name
        self.times, self.baseline_times = [], []
        self.rss = 0

    def print(self, runs):
        ours, theirs = statistics.median(self.times), statistics.median(self.baseline_times)
        print(f"{self.name:<44} {ours * 1000:8.2f} ms   {self.baseline_name:<28} {theirs * 1000:8.2f} ms   "
              f"ratio {ours / theirs:5.2f}   hook's peak RSS {self.rss / 1024:5.1f} MiB   ({runs} runs)")


def measure(row, runs, ours, theirs, rss, before_ours=None, before_theirs=None):
    """Interleaves `ours` and `theirs` run for run (the order alternating), after one warm-up run of each; then
    `rss` measures our peak RSS once."""
    sides = {"ours": (before_ours, ours, row.times, "the hook"),
             "theirs": (before_theirs, theirs, row.baseline_times, row.baseline_name)}

    def one(which):
        before, run_once, times, who = sides[which]
        if before:
            before()
        elapsed, status = run_once()
        if status != 0:
            raise SystemExit(f"{row.name}: {who} exited {status}")
        times.append(elapsed)

    one("ours")
    one("theirs")
    row.times.clear(), row.baseline_times.clear()
    for i in range(runs):
        for which in (("ours", "theirs") if i % 2 == 0 else ("theirs", "ours")):
            one(which)
    if before_ours:
        before_ours()
    row.rss = rss()
    row.print(runs)
    return row


def remove(path):
    if os.path.exists(path):
        os.unlink(path)


def run(args):
    hook = os.path.abspath(args.hook)
    cat, genisoimage = shutil.which("cat"), shutil.which("genisoimage")
    work = tempfile.mkdtemp(prefix="vcd-process-bench-", dir="/var/tmp")
    try:
        for directory in STATE_DIRS:
            private = os.path.join(work, directory.strip("/").replace("/", "-"))
            os.makedirs(private)
            os.makedirs(directory, exist_ok=True)
            subprocess.run(["mount", "--bind", private, directory], check=True)
        pool = os.path.join(work, "pool")
        with open("/etc/virt-configdrive/config.json", "w") as f:
            f.write(f'{{"pool": "vcd-bench-no-such-pool", "pool_path": "{pool}"}}\n')
        iso = os.path.join(pool, f"{UUID}.iso")
        theirs_iso = os.path.join(pool, "genisoimage.iso")
        hook_argv = [hook, "web1", "prepare", "begin", "-"]
        print(f"hook: {hook}; pool: {pool} ({os.uname().nodename}, {os.cpu_count()} CPUs)")

        plain = os.path.join(work, "plain.xml")
        with open(plain, "w") as f:
            f.write(domain_xml(pool, None))
        measure(Row("no config drive (prepare begin)", "cat of the same XML"), args.runs,
                lambda: spawn(hook_argv, plain), lambda: spawn([cat], plain), lambda: peak_rss_kib(hook_argv, plain))
        # Each wrapped in the same sh -c 'exec ...', which adds a shell's start to both.
        wrap = ["/bin/sh", "-c", 'exec "$0" "$@"']
        measure(Row("  the same, each in sh -c 'exec ...'", "sh -c 'exec cat'"), args.runs,
                lambda: spawn(wrap + hook_argv, plain), lambda: spawn(wrap + [cat], plain),
                lambda: peak_rss_kib(hook_argv, plain))
        rows = []
        for size in args.sizes:
            xml = os.path.join(work, f"drive-{size}.xml")
            with open(xml, "w") as f:
                f.write(domain_xml(pool, drive_metadata(user_data(size))))
            _, status = spawn(hook_argv, xml)
            if status != 0:
                raise SystemExit(f"the hook cannot place a drive of {size} bytes of user data (exit {status})")
            tree = os.path.join(work, f"tree-{size}")
            label = drive_files.extract_rock_ridge(iso, tree)
            genisoimage_argv = [genisoimage, *CLOUDSTACK_FLAGS, "-V", label, "-o", theirs_iso, tree]
            full = measure(Row(f"full prepare, {size} B user data", "genisoimage, same tree"), args.runs,
                           lambda: spawn(hook_argv, xml), lambda: spawn(genisoimage_argv, "/dev/null"),
                           lambda: peak_rss_kib(hook_argv, xml), before_ours=lambda: remove(iso), before_theirs=lambda: remove(theirs_iso))
            if os.path.exists(EATMYDATA):
                without_fsync = dict(HOOK_ENVIRONMENT, LD_PRELOAD=EATMYDATA)
                measure(Row("  the same, fsync a no-op (eatmydata)", "genisoimage, same tree"), args.runs,
                        lambda: spawn(hook_argv, xml, without_fsync), lambda: spawn(genisoimage_argv, "/dev/null"),
                        lambda: peak_rss_kib(hook_argv, xml), before_ours=lambda: remove(iso),
                        before_theirs=lambda: remove(theirs_iso))
            unchanged = measure(Row(f"drive unchanged, {size} B user data", "cat of the same XML"), args.runs,
                                lambda: spawn(hook_argv, xml), lambda: spawn([cat], xml),
                                lambda: peak_rss_kib(hook_argv, xml))
            rows.append((size, full, unchanged))
        print()
        print("targets: no drive within 1.5x of cat; full prepare at least 3x faster than genisoimage; drive "
              "unchanged no slower than full prepare; peak RSS under 8 MiB + 2 x user data")
        for size, full, unchanged in rows:
            full_ratio = statistics.median(full.baseline_times) / statistics.median(full.times)
            unchanged_vs_full = statistics.median(unchanged.times) / statistics.median(full.times)
            rss_limit = 8 * 1024 + 2 * size / 1024
            print(f"  {size:>8} B: full prepare {full_ratio:5.2f}x faster than genisoimage; unchanged / full "
                  f"{unchanged_vs_full:4.2f}; peak RSS {max(full.rss, unchanged.rss) / 1024:5.1f} MiB of "
                  f"{rss_limit / 1024:5.1f} MiB allowed")
    finally:
        for directory in STATE_DIRS:
            subprocess.run(["umount", directory], check=False, stderr=subprocess.DEVNULL)
        shutil.rmtree(work, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hook", required=True)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--sizes", default="1024,65536,1048576")
    args = parser.parse_args()
    args.sizes = [int(s) for s in args.sizes.split(",")]
    if os.environ.get("VCD_IN_NAMESPACE") != "1":
        os.execvp("unshare", ["unshare", "-m", "--propagation", "private", "env", "VCD_IN_NAMESPACE=1",
                              sys.executable, *sys.argv])
    run(args)


if __name__ == "__main__":
    main()
