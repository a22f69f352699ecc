#!/usr/bin/python3
"""`virt-configdrive watch` following libvirt's events in a lab host, with running guests that re-read their drive.
The metadata is changed with plain virsh only: virt-configdrive's other commands are never run after
`enable`.

Usage: watch_test.py --cli CLI --hook HOOK --guest CACHE_DIR
"""
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid as uuidlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lab as lablib  # noqa: E402



def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class Watch:
    """`virt-configdrive watch` running inside the lab host's mount namespace (its pool and state), its output in
    files; ended by its pid."""

    def __init__(self, lab, files, cli):
        self.out, self.err = os.path.join(files, "watch.out"), os.path.join(files, "watch.err")
        with open(self.out, "w") as out, open(self.err, "w") as err:
            # nsenter enters the mount namespace and execs the CLI: the pid is the watch's own.
            self.process = subprocess.Popen(["nsenter", f"--mount=/proc/{lab.daemon_pid}/ns/mnt", "--", cli,
                                             "-c", lab.uri, "watch"], stdout=out, stderr=err)
        self.wait_for("following metadata changes")

    def text(self, which="out"):
        with open(self.out if which == "out" else self.err) as f:
            return f.read()

    def wait_for(self, text, which="out", count=1, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.text(which).count(text) >= count:
                return
            if self.process.poll() is not None:
                raise AssertionError(f"watch exited {self.process.returncode}: {self.text('err')}")
            time.sleep(0.1)
        raise AssertionError(f"watch never said {text!r} {count} times:\n{self.text()}\n{self.text('err')}")

    def stop(self):
        self.process.terminate()
        return self.process.wait(timeout=30)


class WatchFollowsMetadata(lablib.LabTest):
    @classmethod
    def setUpClass(cls):
        cls.lab, cls.files = lablib.lab_with_files(cls.settings.hook, cls.settings.guest, "vcd-watch-")

    @classmethod
    def tearDownClass(cls):
        cls.lab.close()
        shutil.rmtree(cls.files, ignore_errors=True)

    def setUp(self):
        self.watch = Watch(self.lab, self.files, self.settings.cli)
        self.addCleanup(self.watch.stop)

    def running_guest(self, name, cmdline, user_data):
        """A guest with a drive, enabled with the CLI, started with virsh; returns its UUID."""
        domain_uuid = str(uuidlib.uuid4())
        self.lab.define(self.lab.domain_xml(name, domain_uuid, metadata=None, cmdline=cmdline, first_cdrom=False))
        path = os.path.join(self.files, f"{name}.user-data")
        with open(path, "w") as f:
            f.write(user_data)
        result = self.lab.cli(self.settings.cli, "enable", name, "--user-data", path)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.lab.virsh("start", name)
        self.addCleanup(self.lab.virsh, "destroy", name, check=False)
        return domain_uuid

    def set_metadata(self, name, children):
        self.lab.virsh("metadata", name, lablib.CD_NAMESPACE, "--key", "cd", "--live", "--set",
                       f"<configdrive>{children}</configdrive>")

    def iso(self, domain_uuid):
        return os.path.join(self.lab.pool, f"{domain_uuid}.iso")

    def test_metadata_set_with_virsh_reaches_the_running_guest_within_seconds(self):
        self.running_guest("followed-vm", "vcd.loop=1", "before\n")
        self.lab.wait_for_view("followed-vm", lambda v: v.files.get("openstack/latest/user_data") == b"before\n")
        domain_id = self.lab.virsh("domid", "followed-vm").stdout.strip()

        began = time.monotonic()
        self.set_metadata("followed-vm", "<user-data>changed with virsh\n</user-data>")
        self.lab.wait_for_view("followed-vm",
                               lambda v: v.files.get("openstack/latest/user_data") == b"changed with virsh\n",
                               timeout=30)
        self.assertLess(time.monotonic() - began, 15)
        self.assertEqual(self.lab.virsh("domid", "followed-vm").stdout.strip(), domain_id, "the guest rebooted")
        self.watch.wait_for("followed-vm: config drive updated on hdd: cloudstack/userdata/user_data.txt, "
                            "openstack/latest/user_data; ")

        # Invalid metadata from another client: one line naming the domain and why; the drive in place stays.
        inode = os.stat(self.iso(self.lab_uuid("followed-vm"))).st_ino
        self.set_metadata("followed-vm", "<hostname>not a host name!</hostname>")
        self.watch.wait_for("followed-vm: not applied: cd:hostname: 'not a host name!' is not a valid host name",
                            which="err")
        self.assertEqual(os.stat(self.iso(self.lab_uuid("followed-vm"))).st_ino, inode)

    def lab_uuid(self, name):
        return self.lab.virsh("domuuid", name).stdout.strip()

    def test_a_mounted_drive_waits_and_lands_when_the_guest_unmounts_it(self):
        # Held for a minute: on a loaded machine the change must still reach the guest well inside that window.
        domain_uuid = self.running_guest("mounted-vm", "vcd.hold=60", "held\n")
        self.running_guest("free-vm", "vcd.loop=1", "free\n")
        self.lab.wait_for_console("mounted-vm", "VCD-HOLDING")
        self.lab.wait_for_view("free-vm", lambda v: v.files.get("openstack/latest/user_data") == b"free\n")
        before = sha256(self.iso(domain_uuid))

        self.set_metadata("mounted-vm", "<user-data>after the unmount\n</user-data>")
        self.watch.wait_for("mounted-vm: not applied: ejecting the config drive from hdd: the guest has the drive "
                            "mounted and holds its tray locked", which="err")
        self.assertEqual(sha256(self.iso(domain_uuid)), before, "swapped under a mounted drive")

        # Another guest's change, while mounted-vm's waits for its tray: it lands before that tray is free.
        self.set_metadata("free-vm", "<user-data>not delayed\n</user-data>")
        self.lab.wait_for_view("free-vm", lambda v: v.files.get("openstack/latest/user_data") == b"not delayed\n",
                               timeout=60)
        with open(self.lab.console_path("mounted-vm"), errors="replace") as f:
            self.assertNotIn("VCD-RELEASED", f.read(), "free-vm's change waited for mounted-vm's tray")
        self.assertEqual(sha256(self.iso(domain_uuid)), before, "mounted-vm's drive is still the one it holds")
        self.lab.wait_for_console("mounted-vm", "VCD-RELEASED", timeout=120)
        self.watch.wait_for("mounted-vm: config drive updated on hdd", timeout=150)
        self.assertNotEqual(sha256(self.iso(domain_uuid)), before)
        self.assertEqual(self.lab.open_iso_inodes("mounted-vm"), {os.stat(self.iso(domain_uuid)).st_ino},
                         "qemu holds the new drive")

    def test_a_change_made_while_libvirtd_restarts_lands_after_the_reconnect(self):
        domain_uuid = self.running_guest("restart-vm", "vcd.loop=1", "before the restart\n")
        self.lab.wait_for_view("restart-vm",
                               lambda v: v.files.get("openstack/latest/user_data") == b"before the restart\n")
        # The watch is stopped across the restart and the change, so that it cannot have reconnected before the
        # change (an ordinary event would then deliver it): only the scan after its reconnect can find it.
        os.kill(self.watch.process.pid, signal.SIGSTOP)
        try:
            self.lab.restart_daemon()
            self.set_metadata("restart-vm", "<user-data>during the restart\n</user-data>")
        finally:
            os.kill(self.watch.process.pid, signal.SIGCONT)
        self.watch.wait_for("following metadata changes", count=2, timeout=60)
        self.lab.wait_for_view("restart-vm",
                               lambda v: v.files.get("openstack/latest/user_data") == b"during the restart\n",
                               timeout=60)
        self.assertIn("the connection to libvirt closed; reconnecting", self.watch.text())
        self.assertEqual(self.lab.open_iso_inodes("restart-vm"), {os.stat(self.iso(domain_uuid)).st_ino})


if __name__ == "__main__":
    lablib.main("cli", "hook", "guest")
