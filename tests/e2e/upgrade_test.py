#!/usr/bin/python3
"""End to end: an upgrade from the previous release's .deb (scripts/previous-deb) to this one, with a VM running.

The VM is enabled by the previous release's CLI, its password sealed by it, and started with its hook's drive. The
new .deb goes over it with dpkg while the VM runs (a lab host, as package_test.py's): the VM keeps running and
reading its drive; the new CLI updates that drive in place, with the previous release's sealed password; and the
new hook builds the drive at the VM's next start.

Usage: upgrade_test.py --deb PACKAGE.deb --guest CACHE_DIR
"""
import json
import os
import subprocess
import sys
import uuid as uuidlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lab as lablib  # noqa: E402

CLI = "/usr/bin/virt-configdrive"  # the packaged one, inside the lab host
PREVIOUS_DEB = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "previous-deb")


def deb_version(deb):
    return subprocess.run(["dpkg-deb", "-f", deb, "Version"], check=True, capture_output=True,
                          text=True).stdout.strip()


class UpgradeWithAVmRunning(lablib.PackageLabTest):
    """The steps build on each other, in the order of their names."""
    cli_path = CLI
    prefix = "vcd-upgrade-"
    domain_uuid = str(uuidlib.uuid4())

    @classmethod
    def setUpClass(cls):
        built = subprocess.run([PREVIOUS_DEB], capture_output=True, text=True)
        if built.returncode != 0:
            raise AssertionError(f"scripts/previous-deb: {built.stderr}")
        cls.previous = built.stdout.strip()
        super().setUpClass()

    def cli(self, *args, stdin=None):
        return self.run_cli(self.lab, *args, stdin=stdin).stdout

    def installed_version(self):
        return self.lab.in_namespace("dpkg-query", "-W", "-f", "${Version}", "virt-configdrive").stdout

    def user_data_file(self, text):
        path = os.path.join(self.files, f"user-data-{uuidlib.uuid4()}")
        with open(path, "w") as f:
            f.write(text)
        return path

    def inspected(self):
        """The VM's drive in the pool as the installed CLI's inspect reads it."""
        iso = os.path.join("/var/lib/libvirt/configdrive", f"{self.domain_uuid}.iso")
        return json.loads(self.cli("inspect", iso, "--json"))

    def test_1_the_previous_release_starts_a_vm_with_its_drive(self):
        self.assertNotEqual(deb_version(self.previous), deb_version(self.settings.deb))
        self.dpkg("-i", self.previous)
        self.assertEqual(self.installed_version(), deb_version(self.previous))
        self.lab.define(self.lab.domain_xml("upgrade-vm", self.domain_uuid, metadata=None, first_cdrom=False,
                                            cmdline="vcd.loop=2"))
        self.cli("enable", "upgrade-vm", "--user-data", self.user_data_file("before\n"), "--password-stdin",
                 stdin="upgraded-pw\n")
        self.assertIn('sealed="v1"', self.lab.virsh("dumpxml", "--inactive", "upgrade-vm").stdout,
                      "the previous release seals as it did")
        self.lab.virsh("start", "upgrade-vm")
        self.lab.wait_for_view("upgrade-vm", lambda v: v.files.get("openstack/latest/user_data") == b"before\n")

    def test_2_the_upgrade_leaves_the_running_vm_its_drive(self):
        domain_id = self.lab.virsh("domid", "upgrade-vm").stdout.strip()
        inodes = self.lab.open_iso_inodes("upgrade-vm")

        out = self.dpkg("-i", self.settings.deb)

        self.assertIn(f"over ({deb_version(self.previous)})", out)
        self.assertEqual(self.installed_version(), deb_version(self.settings.deb))
        with open(self.installer.calls) as f:
            self.assertIn("systemctl reload libvirtd.service", f.read().splitlines())
        self.assertEqual(self.lab.virsh("domid", "upgrade-vm").stdout.strip(), domain_id, "the VM restarted")
        self.assertEqual(self.lab.open_iso_inodes("upgrade-vm"), inodes, "the VM's drive changed under it")
        since = self.lab.console_size("upgrade-vm")
        self.lab.wait_for_view("upgrade-vm", lambda v: v.files.get("openstack/latest/user_data") == b"before\n",
                               since=since)
        self.assertFalse(self.inspected()["guest_follows"], "still the previous release's drive")

    def test_3_the_new_cli_updates_the_running_vm_with_the_previous_sealed_password(self):
        since = self.lab.console_size("upgrade-vm")
        out = self.cli("update", "upgrade-vm", "--user-data", self.user_data_file("after\n"))

        self.assertIn("config drive updated; the guest sees it on hdd", out)
        self.lab.wait_for_view("upgrade-vm", lambda v: v.files.get("openstack/latest/user_data") == b"after\n",
                               since=since)
        drive = self.inspected()
        self.assertTrue(drive["guest_follows"], "the new release's drive")
        self.assertEqual(drive["problems"], [])
        self.assertNotEqual(drive["password"], "none", "the password sealed by the previous release was lost")
        self.assertFalse(drive["password_cleartext"])
        with open(os.path.join(self.lab.pool, f"{self.domain_uuid}.iso"), "rb") as f:
            self.assertNotIn(b"upgraded-pw", f.read(), "the password in clear on the drive")

    def test_4_the_new_hook_builds_the_drive_at_the_next_start(self):
        self.lab.virsh("destroy", "upgrade-vm")
        self.assertFalse(os.path.exists(os.path.join(self.lab.pool, f"{self.domain_uuid}.iso")),
                         "released at the stop")
        since = self.lab.console_size("upgrade-vm")
        self.lab.virsh("start", "upgrade-vm")
        self.lab.wait_for_view("upgrade-vm", lambda v: v.files.get("openstack/latest/user_data") == b"after\n",
                               since=since)
        drive = self.inspected()
        self.assertTrue(drive["guest_follows"], "the new hook's drive")
        self.assertNotEqual(drive["password"], "none", "the password sealed by the previous release was lost")
        self.lab.virsh("destroy", "upgrade-vm")


if __name__ == "__main__":
    lablib.main("deb", "guest")
