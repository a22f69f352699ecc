#!/usr/bin/python3
"""cloud-init's own ConfigDrive reader (Debian's cloud-init package) accepts the drive the CLI builds.

Usage: cloudinit_reader_test.py PATH/TO/virt-configdrive
The drive is read back with pycdlib (Rock Ridge names, as a Linux guest sees them) into a directory, which is
what cloud-init's read_config_drive() takes once the device is mounted.
"""
import base64
import io
import os
import subprocess
import sys
import tempfile
import unittest

import pycdlib
from cloudinit.sources import DataSourceConfigDrive
from cloudinit.sources.helpers import openstack

CLI = None
UUID = "1b4e28ba-2fa1-11d2-883f-0016d3cca427"
USER_DATA = b"#cloud-config\nwrite_files:\n- path: /x\n  content: \"\\xff\"\n" + bytes(range(256))
KEYS = [
    ("alice", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl alice@laptop"),
    ("bob@desk", "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 bob@desk"),
]


def domain_xml(hostname):
    keys = "".join(
        f"<cd:public-key{' name=%r' % name if name == 'alice' else ''}>{key}</cd:public-key>" for name, key in KEYS
    )
    return f"""<domain type='qemu'>
  <name>vm-{hostname}</name>
  <uuid>{UUID}</uuid>
  <metadata>
    <cd:configdrive xmlns:cd="urn:virt-configdrive:metadata:1">
      <cd:hostname>{hostname}</cd:hostname>
      <cd:user-data encoding="base64">{base64.b64encode(USER_DATA).decode()}</cd:user-data>
      {keys}
      <cd:vendor-data>{{"cloud-init": "#cloud-config\\npackages: [htop]\\n"}}</cd:vendor-data>
    </cd:configdrive>
  </metadata>
  <devices/>
</domain>"""


def extract_rock_ridge(iso_path, into):
    """Writes every file of the ISO under its Rock Ridge path; returns the volume label."""
    iso = pycdlib.PyCdlib()
    iso.open(iso_path)
    try:
        for root, _dirs, files in iso.walk(rr_path="/"):
            for name in files:
                rr_path = os.path.join(root, name)
                target = os.path.join(into, rr_path.lstrip("/"))
                os.makedirs(os.path.dirname(target), exist_ok=True)
                data = io.BytesIO()
                iso.get_file_from_iso_fp(data, rr_path=rr_path)
                with open(target, "wb") as out:
                    out.write(data.getvalue())
        return iso.pvd.volume_identifier.decode().rstrip()
    finally:
        iso.close()


def ssh_keys_cloud_init_installs(results):
    """The keys through cloud-init's own ConfigDrive/OpenStack mixin, as its datasource asks for them."""

    class Seen(openstack.SourceMixin):
        pass

    seen = Seen()
    seen.version = results["version"]
    seen.metadata = results["metadata"]
    return seen.get_public_ssh_keys()


class CloudInitReadsTheDrive(unittest.TestCase):
    def build_and_read(self, hostname):
        with tempfile.TemporaryDirectory() as tmp:
            xml = os.path.join(tmp, "domain.xml")
            with open(xml, "w") as f:
                f.write(domain_xml(hostname))
            iso = os.path.join(tmp, "drive.iso")
            subprocess.run([CLI, "build", "--domain-xml", xml, "-o", iso], check=True)
            tree = os.path.join(tmp, "tree")
            label = extract_rock_ridge(iso, tree)
            return label, DataSourceConfigDrive.read_config_drive(tree)

    def test_label_is_one_cloud_init_probes_for(self):
        label, _ = self.build_and_read("web1")
        self.assertIn(label, DataSourceConfigDrive.LABEL_TYPES)

    def test_reader_returns_what_was_set(self):
        _, results = self.build_and_read("web1")
        self.assertEqual(results["version"], 2)
        self.assertEqual(results["userdata"], USER_DATA)
        md = results["metadata"]
        self.assertEqual(md["instance-id"], UUID)
        self.assertEqual(md["local-hostname"], "web1")
        self.assertEqual(sorted(ssh_keys_cloud_init_installs(results)), sorted(k for _, k in KEYS))
        self.assertEqual(results["vendordata"], {"cloud-init": "#cloud-config\npackages: [htop]\n"})
        self.assertEqual(results["networkdata"], {})

    def test_reader_sees_a_changed_hostname(self):
        _, results = self.build_and_read("db7")
        self.assertEqual(results["metadata"]["local-hostname"], "db7")


if __name__ == "__main__":
    CLI = sys.argv.pop(1)
    unittest.main(verbosity=2)
