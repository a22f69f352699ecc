"""A private libvirt host (scripts/lab) and a tiny guest that prints its config drive, for end-to-end tests.

Run with Debian's /usr/bin/python3. Every process started here is ended by pid (scripts/lab stop).
"""
import argparse
import base64
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import uuid as uuidlib

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LAB = os.path.join(REPO, "scripts", "lab")
# Where a failed test keeps a guest's console: the lab, and the console with it, is gone when the test ends.
EVIDENCE_DIR = "/var/tmp/virt-configdrive-tests"
POOL_INSIDE = "/var/lib/libvirt/configdrive"
CD_NAMESPACE = "urn:virt-configdrive:metadata:1"


def parse_arguments(*names):
    """The test's required --NAME PATH options (made absolute), and the argv left for unittest."""
    parser = argparse.ArgumentParser()
    for name in names:
        parser.add_argument(f"--{name}", required=True)
    args, rest = parser.parse_known_args()
    for name in names:
        setattr(args, name, os.path.abspath(getattr(args, name)))
    return args, [sys.argv[0]] + rest


def bench_parser(runs):
    """The options every lab benchmark of the CLI takes: --cli, --hook, --guest, and --runs (default `runs`)."""
    parser = argparse.ArgumentParser()
    for name in ("cli", "hook", "guest"):
        parser.add_argument(f"--{name}", required=True)
    parser.add_argument("--runs", type=int, default=runs)
    return parser


def free_port(kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def loopback_nic(mac):
    """An e1000 NIC whose frames go, as UDP, from one 127.0.0.1 port to another where nothing listens: the guest
    has a NIC with this MAC, and it reaches nothing beyond this machine (nor anything on it)."""
    return (f"<interface type='udp'><mac address='{mac}'/><source address='127.0.0.1' "
            f"port='{free_port(socket.SOCK_DGRAM)}'><local address='127.0.0.1' port='{free_port(socket.SOCK_DGRAM)}'/>"
            f"</source><model type='e1000'/></interface>")


def guest_image(directory, arch="amd64"):
    """The guest kernel and initrd in `directory` (made when missing), as absolute paths: libvirtd reads them.
    arch: amd64, or arm64 for aarch64 guests (aarch64_domain_xml)."""
    directory = os.path.abspath(directory)
    subprocess.run([os.path.join(REPO, "scripts", "guest-image"), directory, arch], check=True)
    os.chmod(directory, 0o755)
    return os.path.join(directory, "vmlinux" if arch == "amd64" else "Image"), os.path.join(directory, "initrd.img")


class GuestView:
    """What the guest printed between VCD-BEGIN and VCD-END on its serial console."""

    def __init__(self, lines):
        self.device = None
        self.hctl = None
        self.nics = []  # the MACs of the guest's NICs, as its kernel sees them
        self.files = {}  # the drive's files of 4 KiB or less
        self.digests = {}  # the sha256 of the larger ones
        self.found = False
        for line in lines:
            if line.startswith("VCD-DEVICE "):
                self.device = line.split(" ", 1)[1]
                self.found = True
            elif line.startswith("VCD-HCTL "):
                self.hctl = line.split(" ", 1)[1]
            elif line.startswith("VCD-NIC "):
                self.nics.append(line.split(" ", 1)[1])
            elif line.startswith("VCD-FILE "):
                parts = line.split(" ")
                self.files[parts[1]] = base64.b64decode(parts[2]) if len(parts) > 2 else b""
            elif line.startswith("VCD-SHA256 "):
                parts = line.split(" ")
                self.digests[parts[1]] = parts[2]


def guest_views(console_text):
    """Every complete VCD-BEGIN … VCD-END block of a console log, oldest first."""
    text = console_text.replace("\r", "")
    return [GuestView(block.strip().splitlines()) for block in re.findall(r"VCD-BEGIN\n(.*?)VCD-END", text, re.S)]


def files_dir(prefix):
    """A new directory for a test's files, which processes inside a lab host (libvirtd, qemu, the CLI) can read."""
    directory = tempfile.mkdtemp(prefix=prefix)
    os.chmod(directory, 0o755)
    return directory


def lab_with_files(hook, guest_dir, prefix, **options):
    """A lab host with `hook` (None: no hook) whose guests boot the amd64 guest image in guest_dir, and a
    files_dir(prefix) for the test. options: Lab's (console_dir…)."""
    kernel, initrd = guest_image(guest_dir)
    return Lab(hook, kernel, initrd, **options), files_dir(prefix)


def package_lab(guest_dir, prefix, **options):
    """A lab host with no hook, ready for the package to be installed with dpkg (Dpkg), and a files_dir(prefix).
    options: Lab's (console_dir…)."""
    lab, files = lab_with_files(None, guest_dir, prefix, **options)
    # This machine is a container image whose policy-rc.d forbids every service action; a stock host has none.
    lab.in_namespace("rm", "-f", "/usr/sbin/policy-rc.d")
    return lab, files


# systemd's answers on a host whose libvirtd.service runs; reload = its ExecReload, `kill -HUP $MAINPID`. What
# works on files alone (deb-systemd-helper's `systemctl --root=/ preset`) is the real systemctl's.
SYSTEMCTL = """#!/bin/sh
echo "systemctl $*" >>"{calls}"
case "$*" in
  --root=*) exec /usr/bin/systemctl "$@" ;;
  "--quiet is-active libvirtd.service") exit 0 ;;
  *is-active*) exit 3 ;;
  "reload libvirtd.service") kill -HUP {pid} ;;
  *) exit 1 ;;
esac
"""


class Dpkg:
    """dpkg inside a package_lab host, as on a systemd host whose libvirtd.service runs.

    The host's /usr and /var/lib/dpkg are overlays (scripts/lab), so `dpkg -i` installs into that host alone. Its
    libvirtd is not a systemd unit: the maintainer scripts meet a stand-in systemctl (SYSTEMCTL, its calls logged in
    `calls`) whose `reload` does what the unit's ExecReload does; the real deb-systemd-invoke sits between them.
    What deb-systemd-helper writes (the watch service's enablement) stays in systemd_dirs, in `files`."""

    def __init__(self, lab, files):
        self.lab = lab
        self.calls = os.path.join(files, "systemctl-calls")
        self.bin = os.path.join(files, "bin")
        os.makedirs(self.bin)
        systemctl = os.path.join(self.bin, "systemctl")
        with open(systemctl, "w") as f:
            f.write(SYSTEMCTL.format(calls=self.calls, pid=lab.daemon_pid))
        os.chmod(systemctl, 0o755)
        # /etc/systemd/system and /var/lib/systemd of this host.
        self.systemd_dirs = [os.path.join(files, "etc-systemd"), os.path.join(files, "lib-systemd")]
        for directory in self.systemd_dirs:
            os.makedirs(directory)

    def __call__(self, *args):
        """dpkg ARGS… with its own /run holding /run/systemd/system: its CompletedProcess."""
        script = ('mount -t tmpfs tmpfs /run && mkdir -p /run/systemd/system && '
                  'mount --bind "$2" /etc/systemd/system && mount --bind "$3" /var/lib/systemd && '
                  'PATH="$1:$PATH" exec dpkg --log=/dev/null --no-triggers "${@:4}"')
        return self.lab.in_namespace("unshare", "-m", "--propagation", "private", "bash", "-c", script, "-",
                                     self.bin, *self.systemd_dirs, *args)


class LabTest(unittest.TestCase):
    """The base of the lab tests: `settings`, the paths the test's command line gave (main() sets them), and the CLI
    run on a lab host with its exit status asserted."""
    settings = None
    cli_path = None  # the CLI the tests run: settings.cli unless a subclass names another (the packaged one)

    def run_cli(self, lab, *args, stdin=None, expect=0):
        """virt-configdrive ARGS… on the lab host, which must exit with `expect`: its CompletedProcess."""
        result = lab.cli(self.cli_path or self.settings.cli, *args, stdin=stdin)
        self.assertEqual(result.returncode, expect,
                         f"virt-configdrive {' '.join(args)}: {result.stdout}{result.stderr}")
        return result


def main(*names):
    """Runs the calling test module with the required --NAME PATH options as LabTest.settings."""
    LabTest.settings, argv = parse_arguments(*names)
    unittest.main(module="__main__", argv=argv, verbosity=2)


class PackageLabTest(LabTest):
    """Tests on one package_lab host with its Dpkg (`lab`, `files`, `installer`), made once for the class; its steps
    build on each other in the order of their names. A subclass sets `prefix` (its files_dir's)."""
    prefix = "vcd-package-"

    @classmethod
    def setUpClass(cls):
        cls.lab, cls.files = package_lab(cls.settings.guest, cls.prefix)
        cls.installer = Dpkg(cls.lab, cls.files)

    @classmethod
    def tearDownClass(cls):
        cls.lab.close()
        subprocess.run(["rm", "-rf", cls.files], check=False)

    def dpkg(self, *args):
        """dpkg ARGS… on the lab host, which must succeed: its stdout and stderr."""
        result = self.installer(*args)
        self.assertEqual(result.returncode, 0, f"dpkg {' '.join(args)}: {result.stdout}{result.stderr}")
        return result.stdout + result.stderr


class Lab:
    """One private libvirt host in its own mount namespace, with the hook installed as the package installs it."""

    def __init__(self, hook, kernel, initrd, config=None, shared_pool=None, console_dir=None):
        """hook: the hook binary to install (None: no hook, e.g. to install the package later); config: this host's
        /etc/virt-configdrive/config.json as a dict; shared_pool: a directory bound over the pool (hosts given the
        same one share it); console_dir: where guests' serial logs go (hosts of one migration test share it)."""
        self.dir = files_dir("vcd-lab-")
        self.kernel, self.initrd = kernel, initrd
        self.console_dir = console_dir or self.dir
        self.port = free_port()
        if config is not None:
            os.makedirs(os.path.join(self.dir, "etc-vcd"), exist_ok=True)
            with open(os.path.join(self.dir, "etc-vcd", "config.json"), "w") as f:
                json.dump(config, f)
        start = [LAB, "start", self.dir, str(self.port)] + (["--hook", hook] if hook else [])
        if shared_pool:
            start += ["--shared-pool", shared_pool]
        subprocess.run(start, check=True)
        self.uri = f"qemu+tcp://127.0.0.1:{self.port}/system"

    def close(self):
        subprocess.run([LAB, "stop", self.dir], check=False)
        shutil.rmtree(self.dir, ignore_errors=True)

    @property
    def pool(self):
        """The pool directory as seen from outside the namespace."""
        return os.path.join(self.dir, "lib", "configdrive")

    @property
    def state_dir(self):
        """This host's placement records and locks, as seen from outside the namespace (host-local)."""
        return os.path.join(self.dir, "state")

    def virsh(self, *args, check=True):
        result = subprocess.run(["virsh", "-q", "-c", self.uri, *args], capture_output=True, text=True)
        if check and result.returncode != 0:
            raise AssertionError(f"virsh {' '.join(args)} failed: {result.stderr.strip()}")
        return result

    def console_path(self, name):
        return os.path.join(self.console_dir, f"{name}.console")

    def hooks_scanned_by(self):
        """The pid of the libvirtd whose hook scan the daemon hook last recorded (None: none recorded)."""
        path = os.path.join(self.dir, "run-vcd", "hooks-scanned.libvirtd")
        if not os.path.exists(path):
            return None
        with open(path) as f:
            return f.read().strip()

    def wait_for_hook_scan(self, timeout=20):
        """Waits up to `timeout` s for the daemon hook to record that the running libvirtd scanned its hooks;
        returns what it recorded last (hooks_scanned_by)."""
        deadline = time.monotonic() + timeout
        while self.hooks_scanned_by() != str(self.daemon_pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.hooks_scanned_by()

    def restart_daemon(self):
        subprocess.run([LAB, "restart", self.dir], check=True)

    def in_namespace(self, *command, stdin=None, env=None):
        return subprocess.run([LAB, "exec", self.dir, *command], input=stdin, capture_output=True, text=True,
                              env=env)

    @property
    def daemon_pid(self):
        with open(os.path.join(self.dir, "libvirtd.pid")) as f:
            return int(f.read().strip())

    def qemu_pid(self, name):
        with open(os.path.join(self.dir, "run", "qemu", f"{name}.pid")) as f:
            return int(f.read().strip())

    def open_iso_inodes(self, name):
        """Inodes of the *.iso files the domain's qemu has open: what the guest really reads."""
        pid, inodes = self.qemu_pid(name), set()
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}").endswith(".iso"):
                    inodes.add(os.stat(f"/proc/{pid}/fd/{fd}").st_ino)
            except FileNotFoundError:
                pass
        return inodes

    def console_size(self, name):
        path = self.console_path(name)
        return os.path.getsize(path) if os.path.exists(path) else 0

    def cli(self, cli, *args, stdin=None):
        """virt-configdrive on this host: inside its mount namespace, connected to its libvirtd."""
        return subprocess.run([LAB, "exec", self.dir, cli, "-c", self.uri, *args], input=stdin,
                              capture_output=True, text=True)

    def cli_process(self, cli, *args):
        """virt-configdrive on this host as a process left running, its stdin, stdout and stderr piped (text)."""
        return subprocess.Popen([LAB, "exec", self.dir, cli, "-c", self.uri, *args], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def domain_xml(self, name, domain_uuid, metadata="", cdrom_source=None, cmdline="", machine="pc",
                   first_cdrom=True, nic_mac=None):
        """A TCG guest with an empty first CD-ROM (hdc, unless first_cdrom is False) and, when cdrom_source is
        given, a second one (hdd). metadata=None: no cd:configdrive at all. nic_mac: a NIC with that MAC
        (loopback_nic)."""
        first = ("<disk type='file' device='cdrom'><driver name='qemu' type='raw'/><target dev='hdc' bus='ide'/>"
                 "<readonly/></disk>") if first_cdrom else ""
        cdrom = ""
        if cdrom_source is not None:
            cdrom = (f"<disk type='file' device='cdrom'><driver name='qemu' type='raw'/>"
                     f"<source file='{cdrom_source}'/><target dev='hdd' bus='ide'/><readonly/></disk>")
        if metadata is not None:
            metadata = f"<metadata><cd:configdrive xmlns:cd='{CD_NAMESPACE}'>{metadata}</cd:configdrive></metadata>"
        else:
            metadata = ""
        return self._guest_xml(name, domain_uuid, "x86_64", machine, "ttyS0", cmdline, metadata=metadata,
                               devices=first + cdrom + (loopback_nic(nic_mac) if nic_mac else ""))

    def aarch64_domain_xml(self, name, domain_uuid, cmdline=""):
        """An aarch64 guest on qemu's `virt` machine under TCG (cortex-a57), booting this host's kernel (the arm64
        guest_image) directly, with no CD-ROM: `enable` chooses its bus."""
        return self._guest_xml(name, domain_uuid, "aarch64", "virt", "ttyAMA0", cmdline,
                               cpu="<cpu mode='custom' match='exact'><model>cortex-a57</model></cpu>")

    def _guest_xml(self, name, domain_uuid, arch, machine, console, cmdline, metadata="", cpu="", devices=""):
        """A TCG guest booting this host's kernel and initrd directly, its serial console in console_path(name),
        destroyed when it powers off or reboots."""
        return f"""<domain type='qemu'>
  <name>{name}</name>
  <uuid>{domain_uuid}</uuid>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='{arch}' machine='{machine}'>hvm</type>
    <kernel>{self.kernel}</kernel>
    <initrd>{self.initrd}</initrd>
    <cmdline>console={console} quiet {cmdline}</cmdline>
  </os>
  {cpu}
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>destroy</on_reboot>
  {metadata}
  <devices>
    <emulator>/usr/bin/qemu-system-{arch}</emulator>
    {devices}
    <serial type='file'><source path='{self.console_path(name)}' append='on'/><target port='0'/></serial>
    <memballoon model='none'/>
  </devices>
</domain>"""

    def define(self, xml):
        path = os.path.join(self.dir, f"define-{uuidlib.uuid4()}.xml")
        with open(path, "w") as f:
            f.write(xml)
        self.virsh("define", path)

    def wait_until_shut_off(self, name, timeout=240):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.virsh("domstate", name).stdout.strip() == "shut off":
                return
            time.sleep(0.25)
        raise AssertionError(f"{name} still running after {timeout} s; {self.console_evidence(name)}")

    def views(self, name, since=0):
        with open(self.console_path(name), errors="replace") as f:
            f.seek(since)
            return guest_views(f.read())

    def wait_for_view(self, name, predicate, timeout=240, since=0):
        """The first drive report on the console (after byte `since`) that satisfies predicate."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if os.path.exists(self.console_path(name)):
                for view in self.views(name, since):
                    if predicate(view):
                        return view
            time.sleep(0.25)
        raise AssertionError(f"{name}: no drive report as expected within {timeout} s; {self.console_evidence(name)}")

    def console_evidence(self, name, lines=30):
        """Where a copy of the guest's console stays after the lab is gone (EVIDENCE_DIR), and its last lines, each
        cut to 200 characters."""
        os.makedirs(EVIDENCE_DIR, exist_ok=True)
        kept = os.path.join(EVIDENCE_DIR, f"{name}-{time.strftime('%Y%m%dT%H%M%S')}.console")
        if not os.path.exists(self.console_path(name)):
            return f"no console at {self.console_path(name)}"
        shutil.copyfile(self.console_path(name), kept)
        with open(kept, errors="replace") as f:
            tail = [line[:200] for line in f.read().replace("\r", "").splitlines()[-lines:]]
        return f"console kept in {kept}, ending:\n" + "\n".join(tail)

    def wait_for_console(self, name, text, timeout=240):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if os.path.exists(self.console_path(name)):
                with open(self.console_path(name), errors="replace") as f:
                    if text in f.read():
                        return
            time.sleep(0.25)
        raise AssertionError(f"{name}: '{text}' not on the console within {timeout} s")

    def boot_and_read(self, name):
        """Starts the domain, waits for the guest to print its drive and power off; returns what it read."""
        since = self.console_size(name)
        self.virsh("start", name)
        self.wait_until_shut_off(name)
        views = self.views(name, since)
        if not views:
            raise AssertionError(f"{name}: the guest printed no drive report")
        return views[-1]


def doctor_rows(output):
    """doctor's table (its stdout) as {check: (verdict, detail)}; AssertionError for anything else."""
    lines = output.splitlines()
    if not lines or not re.match(r"^CHECK\s+RESULT\s+DETAIL$", lines[0]):
        raise AssertionError(f"doctor printed no table: {output!r}")
    rows = {}
    for line in lines[1:]:
        match = re.match(r"^(.+?)\s{2,}(ok|note|problem)\s{2,}(.*)$", line)
        if match is None:
            raise AssertionError(f"not a row of doctor's table: {line!r}")
        rows[match.group(1)] = (match.group(2), match.group(3))
    return rows


def pool_snapshot(*directories):
    """Names, inodes and mtimes of everything under the directories: to prove nothing was touched."""
    seen = {}
    for top in directories:
        if not os.path.exists(top):
            seen[top] = None
            continue
        for root, dirs, files in os.walk(top):
            for entry in [root] + [os.path.join(root, n) for n in dirs + files]:
                st = os.lstat(entry)
                seen[entry] = (st.st_ino, st.st_mtime_ns, st.st_size)
    return seen
