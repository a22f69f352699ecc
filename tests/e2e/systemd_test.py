#!/usr/bin/python3
"""End to end: the package's virt-configdrive-watch.service under the real systemd, on a lab host.

systemd runs as PID 1 of its own PID and mount namespaces inside the lab host's (systemd_host.sh), with journald,
and every unit of the machine's masked. The .deb is installed with dpkg there: the real deb-systemd-helper enables
the unit and the real deb-systemd-invoke starts it, and the watch then serves the lab host's libvirtd. A running
guest re-reads its drive, and the metadata is changed with plain virsh. The lab's libvirtd is not one of systemd's
units, so it is reloaded by hand after the install, as postinst's `systemctl reload libvirtd.service` would.

Usage: systemd_test.py --deb PACKAGE.deb --guest CACHE_DIR
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid as uuidlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lab as lablib  # noqa: E402

UNIT = "virt-configdrive-watch.service"
CLI = "/usr/bin/virt-configdrive"  # the packaged one, inside the lab host
BOOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "systemd_host.sh")


def wait_until(predicate, what, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"not within {timeout} s: {what}")


def descendant_named(root, name):
    """The pid of the first process named `name` below `root`, or None."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                children.setdefault(int(fields[1]), []).append(int(entry))
            except (FileNotFoundError, ProcessLookupError, IndexError):  # gone between listdir, open and read
                pass
    pending = list(children.get(root, []))
    while pending:
        pid = pending.pop(0)
        try:
            with open(f"/proc/{pid}/comm") as f:
                if f.read().strip() == name:
                    return pid
        except (FileNotFoundError, ProcessLookupError):
            continue
        pending += children.get(pid, [])
    return None


class SystemdHost:
    """systemd as PID 1 of a lab host (systemd_host.sh); commands run inside with nsenter; ended by its pid."""

    def __init__(self, lab, directory):
        self.dir = directory
        self.log = open(os.path.join(directory, "boot.log"), "w")
        self.process = subprocess.Popen([lablib.LAB, "exec", lab.dir, "unshare", "--pid", "--fork", "--mount",
                                         "--propagation", "private", "--mount-proc", BOOT, lab.dir,
                                         os.path.join(directory, "sd")],
                                        stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.pid = wait_until(lambda: descendant_named(self.process.pid, "systemd"), "systemd started")
        try:
            # degraded: a unit of the machine's that could still run failed (not one the test needs).
            wait_until(lambda: self.run("systemctl", "is-system-running").stdout.strip() in ("running", "degraded"),
                       "systemd running")
        except BaseException:
            self.close()
            raise

    def run(self, *command):
        return subprocess.run(["nsenter", "-t", str(self.pid), "-m", "-p", *command], capture_output=True,
                              text=True)

    def show(self, unit, prop):
        return self.run("systemctl", "show", "-P", prop, unit).stdout.strip()

    def journal(self, unit):
        """The unit's journal entries as (transport, priority, message)."""
        out = self.run("journalctl", "--no-pager", "-o", "json", "-u", unit).stdout
        entries = [json.loads(line) for line in out.splitlines() if line.strip()]
        return [(e.get("_TRANSPORT"), e.get("PRIORITY"), e.get("MESSAGE")) for e in entries]

    def close(self):
        os.kill(self.pid, signal.SIGKILL)  # the kernel ends every process of its PID namespace with it
        self.process.wait(timeout=30)
        self.log.close()
        cgroup = "vcd-lab-" + os.path.basename(self.dir)  # systemd_host.sh: SD_DIR is self.dir/sd
        for hierarchy in ("/sys/fs/cgroup/systemd", "/sys/fs/cgroup/unified", "/sys/fs/cgroup"):
            top = os.path.join(hierarchy, cgroup)
            for root, _, _ in sorted(os.walk(top), key=lambda walked: -walked[0].count("/")):
                wait_until(lambda: not _rmdir_busy(root), f"{root} removed", timeout=10)


def _rmdir_busy(path):
    try:
        os.rmdir(path)
        return False
    except FileNotFoundError:
        return False
    except OSError:
        return True


class WatchServiceUnderSystemd(lablib.LabTest):
    """The steps build on each other, in the order of their names: install, follow, restart, upgrade, remove."""

    @classmethod
    def setUpClass(cls):
        cls.lab, cls.files = lablib.package_lab(cls.settings.guest, "vcd-systemd-")
        try:
            cls.host = SystemdHost(cls.lab, cls.files)
        except BaseException:
            cls.lab.close()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.host.close()
        cls.lab.close()
        shutil.rmtree(cls.files, ignore_errors=True)

    def dpkg(self, *args):
        result = self.host.run("dpkg", "--log=/dev/null", "--no-triggers", *args)
        self.assertEqual(result.returncode, 0, f"dpkg {' '.join(args)}: {result.stdout}{result.stderr}")
        return result.stdout + result.stderr

    def main_pid(self):
        """The watch's pid; never 0 (a unit that does not run has none, and `kill 0` would end the caller's own)."""
        pid = int(self.host.show(UNIT, "MainPID"))
        self.assertGreater(pid, 0, f"{UNIT} runs no process: {self.host.journal(UNIT)[-5:]}")
        return pid

    def wait_active(self, other_than=0):
        """Waits for the watch to run with a main pid other than `other_than`; returns that pid."""
        wait_until(lambda: self.host.show(UNIT, "ActiveState") == "active" and self.main_pid() not in (0, other_than),
                   f"{UNIT} active with a new main pid")
        return self.main_pid()

    def lines(self, text):
        """The unit's journal entries whose message holds text, by transport."""
        return [(transport, priority) for transport, priority, message in self.host.journal(UNIT)
                if message and text in message]

    def test_1_install_enables_and_starts_the_watch(self):
        self.dpkg("-i", self.settings.deb)

        self.assertEqual(self.host.run("systemctl", "is-enabled", UNIT).stdout.strip(), "enabled")
        pid = self.wait_active()
        with open(f"/proc/{self.host.pid}/root/proc/{pid}/cmdline") as f:
            self.assertEqual(f.read().split("\0")[:2], [CLI, "watch"])
        wait_until(lambda: self.lines("following metadata changes"), "the watch connected")
        # Once, through syslog at info level: not again through stdout (JOURNAL_STREAM).
        self.assertEqual(self.lines("connected to libvirt; following metadata changes"), [("syslog", "6")])

    def test_2_a_running_guest_follows_metadata_set_with_virsh(self):
        lab = self.lab
        os.kill(lab.daemon_pid, signal.SIGHUP)  # what postinst's reload does where libvirtd is a unit
        wait_until(lambda: os.path.exists(os.path.join(lab.dir, "run-vcd", "hooks-scanned.libvirtd")),
                   "libvirtd rescanned its hooks")
        lab.define(lab.domain_xml("sd-vm", str(uuidlib.uuid4()), metadata=None, cmdline="vcd.loop=1",
                                  first_cdrom=False))
        path = os.path.join(self.files, "user-data")
        with open(path, "w") as f:
            f.write("before\n")
        result = lab.cli(CLI, "enable", "sd-vm", "--user-data", path)
        self.assertEqual(result.returncode, 0, result.stderr)
        lab.virsh("start", "sd-vm")
        self.addCleanup(lab.virsh, "destroy", "sd-vm", check=False)
        lab.wait_for_view("sd-vm", lambda v: v.files.get("openstack/latest/user_data") == b"before\n")

        lab.virsh("metadata", "sd-vm", lablib.CD_NAMESPACE, "--key", "cd", "--live", "--set",
                  "<configdrive><user-data>set with virsh\n</user-data></configdrive>")

        lab.wait_for_view("sd-vm", lambda v: v.files.get("openstack/latest/user_data") == b"set with virsh\n",
                          timeout=60)
        wait_until(lambda: self.lines("sd-vm: config drive updated on hdd"), "the update's line in the journal")
        self.assertEqual(self.lines("sd-vm: config drive updated on hdd"), [("syslog", "6")])
        # Invalid metadata: one warning, once.
        lab.virsh("metadata", "sd-vm", lablib.CD_NAMESPACE, "--key", "cd", "--live", "--set",
                  "<configdrive><hostname>not a host name!</hostname></configdrive>")
        wait_until(lambda: self.lines("sd-vm: not applied: cd:hostname"), "the problem's line in the journal")
        self.assertEqual(self.lines("sd-vm: not applied: cd:hostname"), [("syslog", "4")])

    def test_3_a_killed_watch_is_restarted_and_a_stop_is_no_failure(self):
        pid = self.main_pid()
        self.host.run("kill", "-KILL", str(pid))

        new_pid = self.wait_active(other_than=pid)
        self.assertEqual(self.host.show(UNIT, "NRestarts"), "1")
        wait_until(lambda: len(self.lines("following metadata changes")) == 2, "the restarted watch connected")

        self.assertEqual(self.host.run("systemctl", "stop", UNIT).returncode, 0)
        self.assertEqual(self.host.show(UNIT, "ActiveState"), "inactive")
        self.assertEqual(self.host.show(UNIT, "Result"), "success")
        self.assertEqual(self.lines("virt-configdrive watch: stopped"), [("syslog", "6")])
        self.assertEqual(self.host.run("systemctl", "start", UNIT).returncode, 0)
        self.assertNotEqual(self.wait_active(other_than=new_pid), new_pid)

    def test_4_an_upgrade_restarts_the_watch(self):
        pid = self.main_pid()
        self.dpkg("-i", self.settings.deb)
        self.wait_active(other_than=pid)

    def test_5_remove_stops_the_watch_and_purge_forgets_it(self):
        out = self.dpkg("-r", "virt-configdrive")

        self.assertIn("virt-configdrive: removed.", out)
        self.assertEqual(self.host.show(UNIT, "ActiveState"), "inactive")
        self.assertEqual(self.host.run("systemctl", "is-enabled", UNIT).stdout.strip(), "masked")
        wants = os.path.join(self.files, "sd", "etc-systemd", "multi-user.target.wants", UNIT)
        self.assertTrue(os.path.lexists(wants), "removal keeps the admin's enablement for a reinstall")

        self.dpkg("-P", "virt-configdrive")

        self.assertFalse(os.path.lexists(wants))
        self.assertFalse(os.path.lexists(os.path.join(self.files, "sd", "etc-systemd", UNIT)), "still masked")
        self.assertEqual(self.host.show(UNIT, "LoadState"), "not-found")


if __name__ == "__main__":
    lablib.main("deb", "guest")
