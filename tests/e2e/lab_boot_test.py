#!/usr/bin/python3
"""End to end: a real libvirtd runs the hook, real qemu boots a real kernel, the guest reads its config drive.

Usage: lab_boot_test.py --cli PATH/TO/virt-configdrive --hook PATH/TO/virt-configdrive-hook --guest CACHE_DIR
"""
import base64
import hashlib
import json
import os
import sys
import uuid as uuidlib


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import lab as lablib  # noqa: E402
from drive_files import read_file  # noqa: E402

USER_DATA = b"#cloud-config\nruncmd:\n  - echo booted from virt-configdrive\n\x00\x01binary tail\xff"
KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl alice@laptop"


class GuestBootsWithItsConfigDrive(lablib.LabTest):
    @classmethod
    def setUpClass(cls):
        kernel, initrd = lablib.guest_image(cls.settings.guest)
        cls.lab = lablib.Lab(cls.settings.hook, kernel, initrd)

    @classmethod
    def tearDownClass(cls):
        cls.lab.close()

    def offline_build(self, xml):
        """The drive `virt-configdrive build` makes of the same XML on the same host, for comparison."""
        source, iso = (os.path.join(self.lab.dir, f"offline{ext}") for ext in (".xml", ".iso"))
        with open(source, "w") as f:
            f.write(xml)
        result = self.lab.in_namespace(self.settings.cli, "build", "--domain-xml", source, "-o", iso)
        self.assertEqual(result.returncode, 0, result.stderr)
        return iso

    def test_guest_reads_meta_data_and_user_data_from_its_second_cdrom(self):
        lab, domain_uuid = self.lab, str(uuidlib.uuid4())
        metadata = (f"<cd:hostname>web1</cd:hostname>"
                    f"<cd:user-data encoding='base64'>{base64.b64encode(USER_DATA).decode()}</cd:user-data>"
                    f"<cd:public-key>{KEY}</cd:public-key>")
        xml = lab.domain_xml("web1-vm", domain_uuid, metadata, f"{lablib.POOL_INSIDE}/{domain_uuid}.iso")
        lab.define(xml)

        seen = lab.boot_and_read("web1-vm")

        self.assertTrue(seen.found, "the guest found no LABEL=config-2")
        self.assertEqual(seen.device, "/dev/sr1")
        self.assertEqual(seen.hctl, "1:0:1:0", "not the second CD-ROM (ide1, unit 1 = hdd)")
        self.assertEqual(seen.files["openstack/latest/user_data"], USER_DATA)
        self.assertEqual(seen.files["cloudstack/userdata/user_data.txt"], USER_DATA)
        self.assertFalse(os.path.exists(os.path.join(lab.pool, f"{domain_uuid}.iso")),
                         "release end left the drive of a stopped domain")
        offline = self.offline_build(xml)
        self.assertEqual(seen.files["openstack/latest/meta_data.json"],
                         read_file(offline, "/openstack/latest/meta_data.json"))
        self.assertEqual(seen.digests["openstack/latest/vendor_data.json"],
                         hashlib.sha256(read_file(offline, "/openstack/latest/vendor_data.json")).hexdigest(),
                         "the guest follower, in the vendor data the hook wrote")
        meta = json.loads(seen.files["openstack/latest/meta_data.json"])
        self.assertEqual(meta["uuid"], domain_uuid)
        self.assertEqual(meta["name"], "web1-vm")
        self.assertEqual(meta["hostname"], "web1")
        self.assertEqual(meta["public_keys"], {"alice@laptop": KEY})
        self.assertEqual(seen.files["cloudstack/metadata/instance-id.txt"], domain_uuid.encode())

    def test_a_guest_with_a_nic_gets_no_network_data_json_by_default(self):
        """cloud-init then configures the guest's network by its own fallback (tests/cloudinit_reader_test.py runs
        cloud-init's code over such a drive); this busybox guest shows what the hook gave it."""
        lab, domain_uuid, mac = self.lab, str(uuidlib.uuid4()), "52:54:00:5e:00:21"
        lab.define(lab.domain_xml("nic-vm", domain_uuid, "", f"{lablib.POOL_INSIDE}/{domain_uuid}.iso", nic_mac=mac))

        seen = lab.boot_and_read("nic-vm")

        self.assertEqual(seen.nics, [mac], "the guest's kernel sees its NIC")
        self.assertIn("openstack/latest/meta_data.json", seen.files)
        self.assertNotIn("openstack/latest/network_data.json", {**seen.files, **seen.digests})

    def test_dhcp_mode_gives_the_guests_nic_its_link_by_mac(self):
        lab, domain_uuid, mac = self.lab, str(uuidlib.uuid4()), "52:54:00:5e:00:22"
        config = os.path.join(lab.dir, "etc-vcd", "config.json")
        with open(config, "w") as f:
            json.dump({"network_data": "dhcp"}, f)
        self.addCleanup(os.remove, config)
        lab.define(lab.domain_xml("dhcp-vm", domain_uuid, "", f"{lablib.POOL_INSIDE}/{domain_uuid}.iso",
                                  nic_mac=mac))

        seen = lab.boot_and_read("dhcp-vm")

        network = json.loads(seen.files["openstack/latest/network_data.json"])
        self.assertEqual([link["ethernet_mac_address"] for link in network["links"]], seen.nics)
        self.assertEqual([n["type"] for n in network["networks"]], ["ipv4_dhcp"])

    def test_domain_without_config_drive_starts_and_nothing_is_touched(self):
        lab, domain_uuid = self.lab, str(uuidlib.uuid4())
        lab.define(lab.domain_xml("plain-vm", domain_uuid, metadata=None))
        before = lablib.pool_snapshot(lab.pool, lab.state_dir)

        seen = lab.boot_and_read("plain-vm")

        self.assertFalse(seen.found, "a domain without config drive saw one")
        self.assertEqual(lablib.pool_snapshot(lab.pool, lab.state_dir), before)

    def test_broken_metadata_fails_the_start_with_the_hooks_message(self):
        lab, domain_uuid = self.lab, str(uuidlib.uuid4())
        lab.define(lab.domain_xml("broken-vm", domain_uuid, "<cd:user-data encoding='base64'>%%%</cd:user-data>",
                                  f"{lablib.POOL_INSIDE}/{domain_uuid}.iso"))

        result = lab.virsh("start", "broken-vm", check=False)

        self.assertNotEqual(result.returncode, 0)
        self.assertIn("virt-configdrive: broken-vm: cd:user-data: is not valid base64", result.stderr)
        self.assertEqual(lab.virsh("domstate", "broken-vm").stdout.strip(), "shut off")
        self.assertFalse(os.path.exists(os.path.join(lab.pool, f"{domain_uuid}.iso")))

    def test_cdrom_outside_the_pool_fails_the_start_naming_both_paths(self):
        lab, domain_uuid = self.lab, str(uuidlib.uuid4())
        elsewhere = os.path.join(lab.dir, "elsewhere", f"{domain_uuid}.iso")
        lab.define(lab.domain_xml("astray-vm", domain_uuid, "", elsewhere))

        result = lab.virsh("start", "astray-vm", check=False)

        self.assertNotEqual(result.returncode, 0)
        self.assertIn(f"virt-configdrive: astray-vm: placing the config drive: CD-ROM hdd names {elsewhere}, "
                      f"but this host places it at {lablib.POOL_INSIDE}/{domain_uuid}.iso", result.stderr)
        self.assertFalse(os.path.exists(os.path.dirname(elsewhere)))


if __name__ == "__main__":
    lablib.main("cli", "hook", "guest")
