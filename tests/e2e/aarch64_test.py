#!/usr/bin/python3
"""End to end: an aarch64 guest on qemu's `virt` machine (TCG, cortex-a57) gets a drive it can see.

`virt` has no IDE or SATA: `enable` puts the config drive on a SCSI CD-ROM on a virtio-scsi controller, and
Debian's arm64 kernel (scripts/guest-image DIR arm64) finds it as LABEL=config-2 and reads it.

  Aarch64GuestReadsItsDrive  one boot, then one update while it runs
  Aarch64MigrationAndSata    live migration between two aarch64 lab hosts, there and back, and a drive on SATA
                             (--bus sata) read by the guest

Usage: aarch64_test.py --cli CLI --hook HOOK --guest CACHE_DIR [CLASS]
"""
import os
import re
import shutil
import sys
import uuid as uuidlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import lab as lablib  # noqa: E402
from drive_files import read_file  # noqa: E402



def user_data_is(expected):
    return lambda view: view.files.get("openstack/latest/user_data") == expected


class Aarch64Guest(lablib.LabTest):
    """What both classes share: aarch64 lab hosts, a guest enabled with the CLI."""

    def setUp(self):
        self.kernel, self.initrd = lablib.guest_image(self.settings.guest, "arm64")
        self.files = lablib.files_dir("vcd-aarch64-")
        self.labs = []

    def tearDown(self):
        for lab in self.labs:
            lab.close()
        shutil.rmtree(self.files, ignore_errors=True)

    def host(self):
        lab = lablib.Lab(self.settings.hook, self.kernel, self.initrd, console_dir=self.files)
        self.labs.append(lab)
        return lab

    def cli(self, lab, *args, expect=0):
        return self.run_cli(lab, *args, expect=expect)

    def user_data_file(self, name, text):
        path = os.path.join(self.files, name)
        with open(path, "wb") as f:
            f.write(text)
        return path

    def enabled_guest(self, lab, name, user_data):
        """An aarch64 domain, defined without a CD-ROM, enabled with the CLI; its guest re-reads the drive every
        2 s once started. Returns its UUID."""
        domain_uuid = str(uuidlib.uuid4())
        lab.define(lab.aarch64_domain_xml(name, domain_uuid, cmdline="vcd.loop=2"))
        self.cli(lab, "enable", name, "--user-data", self.user_data_file(f"{name}.user-data", user_data))
        return domain_uuid

    def assert_qemu_reads(self, lab, name, iso):
        self.assertEqual(lab.open_iso_inodes(name), {os.stat(iso).st_ino}, "qemu does not read the file placed")


class Aarch64GuestReadsItsDrive(Aarch64Guest):
    def test_enable_start_and_update_on_a_scsi_cdrom(self):
        lab = self.host()
        domain_uuid = self.enabled_guest(lab, "arm-vm", b"#cloud-config\nhostname: arm\n")
        xml = lab.virsh("dumpxml", "--inactive", "arm-vm").stdout
        self.assertIn("<controller type='scsi' index='0' model='virtio-scsi'>", xml)
        self.assertIn("<target dev='sdb' bus='scsi'/>", xml)

        lab.virsh("start", "arm-vm")
        self.addCleanup(lab.virsh, "destroy", "arm-vm", check=False)
        iso = os.path.join(lab.pool, f"{domain_uuid}.iso")
        seen = lab.wait_for_view("arm-vm", user_data_is(b"#cloud-config\nhostname: arm\n"))

        self.assertEqual(seen.device, "/dev/sr1", "not the second CD-ROM")
        self.assertEqual(seen.hctl, "0:0:0:1", "not unit 1 of the virtio-scsi controller (sdb)")
        self.assertEqual(seen.files["openstack/latest/meta_data.json"],
                         read_file(iso, "/openstack/latest/meta_data.json"))
        self.assertEqual(seen.files["openstack/latest/user_data"], read_file(iso, "/openstack/latest/user_data"))
        self.assertIn(f'"uuid":"{domain_uuid}"', seen.files["openstack/latest/meta_data.json"].decode())

        # While it runs: eject, place, insert on the SCSI CD-ROM; the guest reads the new drive without a reboot.
        domain_id = lab.virsh("domid", "arm-vm").stdout.strip()
        since = lab.console_size("arm-vm")
        self.cli(lab, "update", "arm-vm", "--user-data", self.user_data_file("new", b"updated on arm\n"))
        seen = lab.wait_for_view("arm-vm", user_data_is(b"updated on arm\n"), timeout=60, since=since)
        self.assertEqual(seen.files["openstack/latest/meta_data.json"],
                         read_file(iso, "/openstack/latest/meta_data.json"))
        self.assertEqual(lab.virsh("domid", "arm-vm").stdout.strip(), domain_id, "the guest rebooted")
        self.assert_qemu_reads(lab, "arm-vm", iso)

    def test_a_bus_the_virt_machine_cannot_have_is_refused_naming_it(self):
        lab = self.host()
        lab.define(lab.aarch64_domain_xml("ide-vm", str(uuidlib.uuid4())))
        before = lab.virsh("dumpxml", "--inactive", "ide-vm").stdout

        refused = self.cli(lab, "enable", "ide-vm", "--bus", "ide", expect=1)

        # The machine as libvirt expanded it (virt-7.2 on Debian 12's qemu, virt-10.0 on Debian 13's).
        machine = re.search(r"<type arch='aarch64' machine='([^']+)'", before).group(1)
        self.assertEqual(refused.stderr, f"virt-configdrive: ide-vm: --bus ide: the machine '{machine}' (aarch64) has "
                                         "no IDE bus; it takes sata or scsi\n")
        self.assertEqual(lab.virsh("dumpxml", "--inactive", "ide-vm").stdout, before)


class Aarch64MigrationAndSata(Aarch64Guest):
    def test_bus_sata_on_virt_is_read_by_the_guest(self):
        lab = self.host()
        lab.define(lab.aarch64_domain_xml("sata-vm", str(uuidlib.uuid4())))
        out = self.cli(lab, "enable", "sata-vm", "--bus", "sata", "--hostname", "sata-arm").stdout
        self.assertIn("config drive enabled on CD-ROM sdb (sata)", out)

        seen = lab.boot_and_read("sata-vm")

        self.assertEqual(seen.device, "/dev/sr1")
        self.assertEqual(seen.files["cloudstack/metadata/local-hostname.txt"], b"sata-arm")


    def test_live_migration_there_and_back(self):
        a, b = self.host(), self.host()
        domain_uuid = self.enabled_guest(a, "arm-mig", b"follows the VM\n")
        a.virsh("start", "arm-mig")
        a.wait_for_view("arm-mig", user_data_is(b"follows the VM\n"))
        a_iso, b_iso = (os.path.join(h.pool, f"{domain_uuid}.iso") for h in (a, b))

        for source, destination, iso, gone in ((a, b, b_iso, a_iso), (b, a, a_iso, b_iso)):
            since = source.console_size("arm-mig")
            source.virsh("migrate", "--live", "arm-mig", destination.uri, "--migrateuri",
                         f"tcp://127.0.0.1:{lablib.free_port()}")
            self.assertEqual(destination.virsh("domstate", "arm-mig").stdout.strip(), "running")
            self.assert_qemu_reads(destination, "arm-mig", iso)
            self.assertFalse(os.path.exists(gone), "the source's release left its drive")
            destination.wait_for_view("arm-mig", user_data_is(b"follows the VM\n"), since=since)
        a.virsh("destroy", "arm-mig")


if __name__ == "__main__":
    lablib.main("cli", "hook", "guest")
