#!/usr/bin/python3
"""End to end on the Debian release this runs on (scripts/test-release runs it inside a root of another release,
with that release's libvirtd and qemu): the .deb installed with dpkg into two lab hosts, then what an operator
relies on, one step after the other.

1. The package installs into both hosts' running daemons, and doctor passes on both.
2. A guest enabled with the packaged CLI reads its drive at start.
3. `update` while it runs: the guest reads the new drive without a reboot.
4. Live migration to the other host: the guest keeps reading its drive there; the source's drive is gone.
5. Its end on the destination (`release end`) removes the drive there; doctor still passes.

Usage: release_test.py --deb PACKAGE.deb --guest CACHE_DIR
"""
import os
import shutil
import sys
import uuid as uuidlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lab as lablib  # noqa: E402

CLI = "/usr/bin/virt-configdrive"  # the packaged one, inside each lab host
NAME = "rel-vm"


class PackagedHosts(lablib.LabTest):
    """The steps build on each other, in the order of their names."""
    cli_path = CLI

    @classmethod
    def setUpClass(cls):
        cls.consoles = lablib.files_dir("vcd-release-consoles-")
        cls.hosts = []
        for prefix in ("vcd-release-a-", "vcd-release-b-"):
            lab, files = lablib.package_lab(cls.settings.guest, prefix, console_dir=cls.consoles)
            cls.hosts.append((lab, files))
        cls.source, cls.destination = (lab for lab, _ in cls.hosts)
        cls.domain_uuid = str(uuidlib.uuid4())

    @classmethod
    def tearDownClass(cls):
        for lab, files in cls.hosts:
            lab.close()
            shutil.rmtree(files, ignore_errors=True)
        shutil.rmtree(cls.consoles, ignore_errors=True)

    def cli(self, lab, *args):
        return self.run_cli(lab, *args).stdout

    def assert_doctor_passes(self, lab):
        rows = lablib.doctor_rows(self.cli(lab, "doctor"))
        problems = {check: row for check, row in rows.items() if row[0] == "problem"}
        self.assertEqual(problems, {})
        for check in ("hook installed", "hook allowed by AppArmor", "hook picked up", "libvirt version",
                      "config.json"):
            self.assertEqual(rows[check][0], "ok", f"{check}: {rows[check][1]}")

    def iso(self, lab):
        return os.path.join(lab.pool, f"{self.domain_uuid}.iso")

    def user_data(self, text):
        path = os.path.join(self.consoles, f"user-data-{uuidlib.uuid4()}")
        with open(path, "w") as f:
            f.write(text)
        return path

    def wait_for_user_data(self, lab, text, since):
        lab.wait_for_view(NAME, lambda v: v.files.get("openstack/latest/user_data") == text.encode(), since=since)

    def test_1_the_package_installs_and_doctor_passes_on_both_hosts(self):
        for lab, files in self.hosts:
            installed = lablib.Dpkg(lab, files)("-i", self.settings.deb)
            self.assertEqual(installed.returncode, 0, f"dpkg -i: {installed.stdout}{installed.stderr}")
            self.assertEqual(lab.wait_for_hook_scan(), str(lab.daemon_pid), "the daemon did not rescan its hooks")
            self.assert_doctor_passes(lab)

    def test_2_a_guest_reads_its_drive_at_start(self):
        lab = self.source
        lab.define(lab.domain_xml(NAME, self.domain_uuid, metadata=None, first_cdrom=False, cmdline="vcd.loop=2"))
        self.cli(lab, "enable", NAME, "--hostname", "release-host", "--user-data", self.user_data("first\n"))

        lab.virsh("start", NAME)

        view = lab.wait_for_view(NAME, lambda v: v.found)
        self.assertEqual(view.device, "/dev/sr1")
        self.assertEqual(view.files["openstack/latest/user_data"], b"first\n")
        self.assertEqual(view.files["cloudstack/metadata/local-hostname.txt"], b"release-host")
        self.assertEqual(lab.open_iso_inodes(NAME), {os.stat(self.iso(lab)).st_ino})

    def test_3_update_of_the_running_guest_is_read_without_a_reboot(self):
        lab = self.source
        domain_id = lab.virsh("domid", NAME).stdout.strip()
        since = lab.console_size(NAME)

        self.cli(lab, "update", NAME, "--user-data", self.user_data("second\n"))

        self.wait_for_user_data(lab, "second\n", since)
        self.assertEqual(lab.virsh("domid", NAME).stdout.strip(), domain_id, "the guest was restarted")

    def test_4_live_migration_keeps_the_drive(self):
        self.source.virsh("migrate", "--live", NAME, self.destination.uri, "--migrateuri",
                          f"tcp://127.0.0.1:{lablib.free_port()}")
        # Both hosts write the one console file: only what follows the migration is the destination's reading.
        since = self.destination.console_size(NAME)

        self.assertEqual(self.destination.virsh("domstate", NAME).stdout.strip(), "running")
        self.assertEqual(self.destination.open_iso_inodes(NAME), {os.stat(self.iso(self.destination)).st_ino})
        self.assertFalse(os.path.exists(self.iso(self.source)), "the source's release left its drive")
        self.wait_for_user_data(self.destination, "second\n", since)

    def test_5_release_end_removes_the_drive(self):
        lab = self.destination
        self.assertTrue(os.path.exists(self.iso(lab)))

        lab.virsh("destroy", NAME)

        self.assertFalse(os.path.exists(self.iso(lab)), "release end left the drive")
        self.assert_doctor_passes(lab)


if __name__ == "__main__":
    lablib.main("deb", "guest")
