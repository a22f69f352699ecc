#!/usr/bin/python3
"""`inspect` reads drives made by other tools: genisoimage with CloudStack's own flags, good and broken.

Usage: inspect_interop_test.py PATH/TO/virt-configdrive
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from cloudinit.sources import DataSourceConfigDrive
from cloudinit_network import cloud_init_networks
from drive_files import extract_rock_ridge

CLI = None
CLOUDSTACK_FLAGS = ["-ldots", "-allow-lowercase", "-allow-multidot", "-cache-inodes", "-l", "-quiet", "-J", "-r"]
UUID = "0f3b5c1e-52a4-4c61-9d2e-7b8a9c0d1e2f"
DOMAIN = f"""<domain type='kvm'><name>interop</name><uuid>{UUID}</uuid><metadata>
  <cd:configdrive xmlns:cd="urn:virt-configdrive:metadata:1">
    <cd:hostname>interop</cd:hostname><cd:availability-zone>zone-9</cd:availability-zone>
    <cd:user-data>#cloud-config&#10;runcmd: [true]&#10;</cd:user-data>
    <cd:public-key>ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl a@b</cd:public-key>
    <cd:vendor-data>{{"cloud-init": "#cloud-config\\n"}}</cd:vendor-data>
  </cd:configdrive></metadata><devices/></domain>"""


def inspect(iso):
    result = subprocess.run([CLI, "inspect", iso, "--json"], capture_output=True, text=True)
    return result.returncode, json.loads(result.stdout)


def genisoimage(tree, iso, label="config-2", joliet=True):
    flags = [f for f in CLOUDSTACK_FLAGS if joliet or f != "-J"]
    subprocess.run(["genisoimage", *flags, "-V", label, "-o", iso, tree], check=True)


class InspectReadsOtherToolsDrives(unittest.TestCase):
    def setUp(self):
        self.work = tempfile.mkdtemp(prefix="vcd-interop-")
        self.addCleanup(shutil.rmtree, self.work, True)
        xml = os.path.join(self.work, "domain.xml")
        with open(xml, "w") as f:
            f.write(DOMAIN)
        self.ours = os.path.join(self.work, "ours.iso")
        subprocess.run([CLI, "build", "--domain-xml", xml, "-o", self.ours], check=True)
        self.tree = os.path.join(self.work, "tree")
        extract_rock_ridge(self.ours, self.tree)

    def write(self, relative, text):
        with open(os.path.join(self.tree, relative), "w") as f:
            f.write(text)

    def test_genisoimage_drive_of_the_same_tree_reports_the_same(self):
        theirs = os.path.join(self.work, "theirs.iso")
        genisoimage(self.tree, theirs)
        (ours_status, ours), (theirs_status, their) = inspect(self.ours), inspect(theirs)
        self.assertEqual((ours_status, theirs_status), (0, 0), (ours["problems"], their["problems"]))
        self.assertEqual(their, ours)
        self.assertIn("/cloudstack/metadata/availability-zone.txt", ours["files"])
        self.assertEqual(ours["problems"], [])

    def test_broken_drives_name_the_reader_that_rejects_them(self):
        self.write("openstack/latest/meta_data.json", '{"name": "no uuid"}')
        self.write("openstack/latest/vendor_data.json", "{not json")
        broken = os.path.join(self.work, "broken.iso")
        genisoimage(self.tree, broken, label="cidata", joliet=False)

        status, report = inspect(broken)

        self.assertEqual(status, 1)
        self.assertEqual(report["problems"], [
            "cloud-init: label is 'cidata', not config-2",
            "cloud-init: /openstack/latest/meta_data.json has no uuid",
            "cloud-init: /openstack/latest/vendor_data.json is not valid JSON (an object, list or string)",
            "Windows guests (cloudbase-init): no Joliet tree, so no lower-case long names",
        ])
        text = subprocess.run([CLI, "inspect", broken], capture_output=True, text=True)
        self.assertEqual(text.returncode, 1)
        self.assertIn("problem: cloud-init: label is 'cidata', not config-2\n", text.stdout)

    def test_vendor_data_cloud_init_ignores_is_a_warning_not_a_problem(self):
        self.write("openstack/latest/vendor_data.json", '{"other": "data"}')
        iso = os.path.join(self.work, "vendor.iso")
        genisoimage(self.tree, iso)
        status, report = inspect(iso)
        self.assertEqual((status, report["problems"]), (0, []))
        self.assertEqual(report["warnings"], ['cloud-init: /openstack/latest/vendor_data.json: has no "cloud-init" '
                                              'key; cloud-init ignores it'])


NIC_MAC = "52:54:00:00:00:01"


class InspectAgreesWithCloudInit(unittest.TestCase):
    """For each variant of a drive: cloud-init fails the guest exactly when inspect reports a cloud-init problem.

    Failing the guest, in cloud-init's own code (run for a guest with one NIC, NIC_MAC): its label probe skips the
    drive, its ConfigDrive datasource cannot read it, or the network config it then chooses (the drive's, or its
    fallback when the drive has no network_data.json) gives no interface an address."""

    VARIANTS = {
        "as built": {},
        "no uuid": {"openstack/latest/meta_data.json": '{"name": "x"}'},
        "meta_data not JSON": {"openstack/latest/meta_data.json": "{"},
        "vendor_data not JSON": {"openstack/latest/vendor_data.json": "{oops"},
        "vendor_data a number": {"openstack/latest/vendor_data.json": "7"},
        "vendor_data without cloud-init": {"openstack/latest/vendor_data.json": '{"x": 1}'},
        "network_data not JSON": {"openstack/latest/network_data.json": "[1,"},
        "link without MAC": {"openstack/latest/network_data.json": '{"links": [{"id": "a", "type": "phy"}]}'},
        "link with MAC": {"openstack/latest/network_data.json":
                          '{"links": [{"id": "a", "type": "phy", "ethernet_mac_address": "52:54:00:00:00:01"}],'
                          ' "networks": [{"id": "n", "link": "a", "type": "ipv4_dhcp"}]}'},
        "vlan without its MAC": {"openstack/latest/network_data.json":
                                 '{"links": [{"id": "a", "type": "phy", "ethernet_mac_address": "52:54:00:00:00:01"},'
                                 ' {"id": "v", "type": "vlan", "vlan_link": "a", "vlan_id": 7}]}'},
        "empty network_data, as CloudStack writes": {"openstack/latest/network_data.json": "{}"},
        "no links": {"openstack/latest/network_data.json": '{"links": []}'},
        "a link, no networks": {"openstack/latest/network_data.json":
                                '{"links": [{"id": "a", "type": "phy", "ethernet_mac_address": "52:54:00:00:00:01"}]}'},
        "networks without their links": {"openstack/latest/network_data.json":
                                         '{"networks": [{"id": "n", "link": "a", "type": "ipv4_dhcp"}]}'},
        "static address": {"openstack/latest/network_data.json":
                           '{"links": [{"id": "a", "type": "phy", "ethernet_mac_address": "52:54:00:00:00:01"}],'
                           ' "networks": [{"id": "n", "link": "a", "type": "ipv4", "ip_address": "192.0.2.4",'
                           ' "netmask": "255.255.255.0"}]}'},
    }

    def test_every_variant(self):
        work = tempfile.mkdtemp(prefix="vcd-agree-")
        self.addCleanup(shutil.rmtree, work, True)
        xml, ours = os.path.join(work, "domain.xml"), os.path.join(work, "ours.iso")
        with open(xml, "w") as f:
            f.write(DOMAIN)
        subprocess.run([CLI, "build", "--domain-xml", xml, "-o", ours], check=True)
        cases = []
        for label in ("config-2", "cidata"):
            for name, changes in self.VARIANTS.items():
                tree = os.path.join(work, f"{label}-{len(cases)}")
                extract_rock_ridge(ours, tree)
                for relative, text in changes.items():
                    with open(os.path.join(tree, relative), "w") as f:
                        f.write(text)
                iso = tree + ".iso"
                genisoimage(tree, iso, label=label)
                cases.append((name, label, tree, inspect(iso)[1]))
        decisions = cloud_init_networks([tree for _, _, tree, _ in cases], NIC_MAC)
        verdicts = set()
        for (name, label, _, report), decision in zip(cases, decisions):
            with self.subTest(variant=name, label=label):
                fails = (label not in DataSourceConfigDrive.LABEL_TYPES or not decision["read"]
                         or not decision["addressed"])
                verdicts.add(fails)
                inspect_fails = any(p.startswith("cloud-init") for p in report["problems"])
                self.assertEqual(fails, inspect_fails, (report["problems"], decision))
        self.assertEqual(verdicts, {True, False}, "the variants must include drives cloud-init takes and fails")


if __name__ == "__main__":
    CLI = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
