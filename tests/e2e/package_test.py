#!/usr/bin/python3
"""End to end: the .deb installed with dpkg into a lab host whose libvirtd already runs, as an operator installs it.

The lab host's /usr and /var/lib/dpkg are overlays (scripts/lab), so `dpkg -i` inside it installs into that host
alone. The lab starts with no hook at all: the guest can only get its drive from the hook the package installed.
The lab's libvirtd is not a systemd unit: postinst meets a stand-in systemctl that answers as a host whose
libvirtd.service runs, and whose `reload` does what the unit's ExecReload does (SIGHUP to the daemon); the real
deb-systemd-invoke sits between them. (The watch service under the real systemd: systemd_test.py.)

Usage: package_test.py --deb PACKAGE.deb --guest CACHE_DIR
"""
import hashlib
import json
import os
import subprocess
import sys
import uuid as uuidlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lab as lablib  # noqa: E402

HOOK_PATH = "/usr/lib/libvirt/virt-configdrive-hook"
CLI = "/usr/bin/virt-configdrive"  # the packaged one, inside the lab host
NAMESPACE = "urn:virt-configdrive:metadata:1"

def sha256(data):
    return hashlib.sha256(data).hexdigest()


class PackageOnALabHost(lablib.PackageLabTest):
    """The steps build on each other, in the order of their names: install, check, use, reinstall, remove, purge."""
    cli_path = CLI
    prefix = "vcd-package-"
    domain_uuid = str(uuidlib.uuid4())

    def cli(self, *args, stdin=None, expect=0):
        return self.run_cli(self.lab, *args, stdin=stdin, expect=expect).stdout

    def packaged(self, path):
        """A file as the .deb holds it."""
        return subprocess.run(f"dpkg-deb --fsys-tarfile '{self.settings.deb}' | tar -xOf - '.{path}'", shell=True,
                              check=True, capture_output=True).stdout

    def in_host(self, *command):
        return self.lab.in_namespace(*command)

    def doctor_rows(self, expect):
        return lablib.doctor_rows(self.cli("doctor", expect=expect))

    def test_1_install_makes_the_running_daemon_pick_the_hook_up(self):
        self.assertIsNone(self.lab.hooks_scanned_by())
        self.assertNotEqual(self.in_host("test", "-e", HOOK_PATH).returncode, 0)

        self.dpkg("-i", self.settings.deb)

        with open(self.installer.calls) as f:
            self.assertIn("systemctl reload libvirtd.service", f.read().splitlines())
        wants = os.path.join("multi-user.target.wants", "virt-configdrive-watch.service")
        self.assertTrue(os.path.islink(os.path.join(self.installer.systemd_dirs[0], wants)),
                        "the watch service is enabled")
        self.assertFalse(os.path.lexists(os.path.join("/etc/systemd/system", wants)), "the machine's was touched")
        self.assertEqual(self.lab.wait_for_hook_scan(), str(self.lab.daemon_pid),
                         "the reloaded daemon ran no daemon hook: it did not rescan its hooks")
        resolved = self.in_host("readlink", "-f", "/etc/libvirt/hooks/qemu.d/virt-configdrive").stdout.strip()
        self.assertEqual(resolved, HOOK_PATH)
        installed = self.in_host("sha256sum", HOOK_PATH).stdout.split()[0]
        self.assertEqual(installed, sha256(self.packaged(HOOK_PATH)))
        with open(os.path.join(self.lab.dir, "etc-vcd", "config.json"), "rb") as f:
            self.assertEqual(f.read(), self.packaged("/etc/virt-configdrive/config.json"))

    def test_2_doctor_finds_the_fresh_host_healthy(self):
        rows = self.doctor_rows(expect=0)
        self.assertEqual(rows["hook installed"][0], "ok")
        self.assertEqual(rows["hook allowed by AppArmor"][0], "ok")
        self.assertIn("usr.sbin.libvirtd (/usr/lib/libvirt/* PUxr)", rows["hook allowed by AppArmor"][1])
        self.assertEqual(rows["hook picked up"][0], "ok")
        self.assertEqual(rows["libvirt version"][0], "ok")
        self.assertEqual(rows["pool"][0], "note", "no VM has a drive yet: enable defines the pool")
        self.assertEqual(rows["config.json"][0], "ok")

    def test_3_a_guest_reads_the_drive_the_packaged_hook_built(self):
        lab = self.lab
        lab.define(lab.domain_xml("pkg-vm", self.domain_uuid, metadata=None, first_cdrom=False))
        user_data = "#cloud-config\nhostname: from-the-package\n"
        path = os.path.join(self.files, "user-data")
        with open(path, "w") as f:
            f.write(user_data)
        self.cli("enable", "pkg-vm", "--user-data", path)

        seen = lab.boot_and_read("pkg-vm")

        self.assertEqual(seen.files["openstack/latest/user_data"], user_data.encode())
        meta = json.loads(seen.files["openstack/latest/meta_data.json"])
        self.assertEqual(meta["uuid"], self.domain_uuid)
        rows = self.doctor_rows(expect=0)
        self.assertEqual(rows["pool"][0], "ok")
        self.assertEqual(rows["qemu can read drives"][0], "ok")

    def test_4_reinstalling_keeps_an_edited_config_json(self):
        config = os.path.join(self.lab.dir, "etc-vcd", "config.json")
        with open(config) as f:
            settings = json.load(f)
        settings["availability_zone"] = "edited-zone"
        with open(config, "w") as f:
            json.dump(settings, f)

        self.dpkg("-i", self.settings.deb)

        with open(config) as f:
            self.assertEqual(json.load(f)["availability_zone"], "edited-zone")

    def test_5_remove_leaves_vms_their_metadata_and_the_secret_key(self):
        self.cli("update", "pkg-vm", "--password-stdin", stdin="s3cret\n")
        secret = os.path.join(self.lab.dir, "etc-vcd", "secret.key")
        with open(secret, "rb") as f:
            key = f.read()

        out = self.dpkg("-r", "virt-configdrive")

        self.assertIn("VMs keep their <cd:configdrive> metadata", out)
        xml = self.lab.virsh("dumpxml", "--inactive", "pkg-vm").stdout
        self.assertIn(NAMESPACE, xml)
        self.assertIn('sealed="v2"', xml)
        self.assertNotIn("s3cret", xml)
        with open(os.path.join(self.lab.dir, "etc", "qemu", "pkg-vm.xml")) as f:
            self.assertNotIn("s3cret", f.read(), "libvirt's stored definition")
        with open(secret, "rb") as f:
            self.assertEqual(f.read(), key)
        self.assertTrue(os.path.exists(os.path.join(self.lab.dir, "etc-vcd", "config.json")), "a conffile stays")
        self.assertNotEqual(self.in_host("test", "-e", HOOK_PATH).returncode, 0)
        self.assertFalse(os.path.lexists(os.path.join(self.lab.dir, "etc", "hooks", "qemu.d", "virt-configdrive")))
        # The daemon still lists the hook it saw; a VM without a config drive starts all the same.
        self.lab.define(self.lab.domain_xml("plain-vm", str(uuidlib.uuid4()), metadata=None))
        self.lab.virsh("start", "plain-vm")
        self.lab.virsh("destroy", "plain-vm")

    def test_6_purge_says_what_it_keeps(self):
        out = self.dpkg("-P", "virt-configdrive")

        self.assertIn("Kept: /etc/virt-configdrive/secret.key", out)
        self.assertFalse(os.path.exists(os.path.join(self.lab.dir, "etc-vcd", "config.json")))
        self.assertTrue(os.path.exists(os.path.join(self.lab.dir, "etc-vcd", "secret.key")))
        self.assertIn(NAMESPACE, self.lab.virsh("dumpxml", "--inactive", "pkg-vm").stdout)


if __name__ == "__main__":
    lablib.main("deb", "guest")
