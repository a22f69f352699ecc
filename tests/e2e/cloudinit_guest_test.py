#!/usr/bin/python3
"""End to end: Debian guests that run cloud-init at boot (scripts/cloud-guest-image), started by the hook in a lab
host, report what cloud-init did with their config drive: accounts, keys, network, files. The image is built from
this machine's own Debian release (bookworm, or trixie inside scripts/test-release).

CloudInitGuests: two guests boot at once (one core each under TCG):
- "life" (qemu's user network, restrict=on, no network data: cloud-init's DHCP fallback; an instance id of its own)
  boots three times from one persistent disk: first boot; a second boot after a new password and new user data
  (same instance id); a third after `update --new-instance`.
- "default" (the default instance id, which is also its SMBIOS UUID; static --network-data for its NIC's MAC)
  boots and stays up: `update` while it runs, and the guest's own re-read of the drive shows the new data without a
  reboot. Its second boot shows cloud-init trusting its cache (it does not read the drive) and the password's
  boothook applying the new password all the same.
CloudInitFirstBoot: life's first boot alone.

Usage: cloudinit_guest_test.py --cli PATH --hook PATH --image CACHE_DIR [CloudInitGuests|CloudInitFirstBoot]
"""
import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import unittest
import uuid as uuidlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import lab as lablib  # noqa: E402
from host_crypt import crypt  # noqa: E402

ARGS = None
BOOT_TIMEOUT = 600
USER = "debian"  # Debian's cloud.cfg: default_user
QEMU_NS = "http://libvirt.org/schemas/domain/qemu/1.0"
# Where a failed boot's console is kept: the lab, and its console with it, is gone when the test ends.
EVIDENCE_DIR = "/var/tmp/virt-configdrive-tests"


def host_release():
    """This machine's Debian release by its code name (bookworm, trixie): the cloud-init guest's."""
    with open("/etc/os-release") as f:
        return re.search(r'^VERSION_CODENAME="?([a-z]+)', f.read(), re.M).group(1)


def cloud_guest_image(directory):
    """vmlinuz, initrd.img and root.qcow2 of the cloud-init guest, built from this machine's release (when missing
    or stale)."""
    subprocess.run([os.path.join(lablib.REPO, "scripts", "cloud-guest-image"), directory, host_release()],
                   check=True)
    os.chmod(directory, 0o755)
    return [os.path.join(directory, name) for name in ("vmlinuz", "initrd.img", "root.qcow2")]


class Report:
    """What vcd-report printed between CI-BEGIN and CI-END: one decoded value per key, files by name."""

    def __init__(self, block):
        self.values, self.files = {}, {}
        for line in block.splitlines():
            parts = line.strip().split(" ")
            if parts[0] == "CI-FILE" and len(parts) == 3:
                self.files[parts[1]] = base64.b64decode(parts[2]).decode()
            elif parts[0].startswith("CI-") and parts[0] not in ("CI-BEGIN", "CI-DRIVE") and len(parts) <= 2:
                value = parts[1] if len(parts) == 2 else ""  # an empty value leaves only the key on its line
                self.values[parts[0][3:]] = base64.b64decode(value).decode(errors="replace")

    def __getitem__(self, key):
        return self.values[key]

    def shadow_hash(self):
        return self["SHADOW"].split(":")[1]

    def host_keys(self):
        return sorted(line.split()[1] for line in self["HOSTKEYS"].splitlines() if line.strip())


def reports(console_text):
    text = console_text.replace("\r", "")
    return [Report(block) for block in re.findall(r"CI-BEGIN\n(.*?)CI-END", text, re.S)]


def key_pair(directory, name):
    path = os.path.join(directory, name)
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"{name}@host", "-f", path], check=True)
    with open(path + ".pub") as f:
        return f.read().strip()


class CloudInitLab(unittest.TestCase):
    """A lab host with the hook, the cloud-init guest image, and what its tests share."""

    @classmethod
    def setUpClass(cls):
        cls.kernel, cls.initrd, cls.base = cloud_guest_image(ARGS.image)
        cls.lab = lablib.Lab(ARGS.hook, cls.kernel, cls.initrd)
        cls.files = lablib.files_dir("vcd-cloudinit-")

    @classmethod
    def tearDownClass(cls):
        cls.lab.close()
        subprocess.run(["rm", "-rf", cls.files], check=False)

    def cli(self, *args, stdin=None):
        result = self.lab.cli(ARGS.cli, *args, stdin=stdin)
        self.assertEqual(result.returncode, 0, f"virt-configdrive {' '.join(args)}: {result.stderr}")
        return result

    def write(self, name, text):
        path = os.path.join(self.files, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def define(self, name, nic, cmdline=""):
        """A TCG guest booting the image's kernel from its own persistent overlay of the root disk."""
        disk = os.path.join(self.files, f"{name}.qcow2")
        subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", self.base, disk], check=True)
        domain_uuid = str(uuidlib.uuid4())
        self.lab.define(f"""<domain type='qemu' xmlns:qemu='{QEMU_NS}'>
  <name>{name}</name>
  <uuid>{domain_uuid}</uuid>
  <memory unit='MiB'>768</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>{self.kernel}</kernel>
    <initrd>{self.initrd}</initrd>
    <cmdline>root=/dev/vda rw console=ttyS0 quiet systemd.show_status=0 {cmdline}</cmdline>
  </os>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>destroy</on_reboot>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='{disk}'/>
      <target dev='vda' bus='virtio'/></disk>
    {nic.get("xml", "")}
    <serial type='file'><source path='{self.lab.console_path(name)}' append='on'/><target port='0'/></serial>
    <controller type='usb' model='none'/>
    <memballoon model='none'/>
  </devices>
  {nic.get("qemu", "")}
</domain>""")
        return domain_uuid

    def boot(self, name):
        """Starts the guest (the hook builds its drive), waits until it powers off, returns its report."""
        since = self.lab.console_size(name)
        self.lab.virsh("start", name)
        self.lab.wait_until_shut_off(name, timeout=BOOT_TIMEOUT)
        with open(self.lab.console_path(name), errors="replace") as f:
            f.seek(since)
            found = reports(f.read())
        self.assertTrue(found, f"{name}: no report on the console; {self.console_evidence(name)}")
        return found[-1]

    def console_evidence(self, name):
        """Where a copy of the guest's console stays after the lab is gone, and its last lines."""
        os.makedirs(EVIDENCE_DIR, exist_ok=True)
        kept = os.path.join(EVIDENCE_DIR, f"{name}-{time.strftime('%Y%m%dT%H%M%S')}.console")
        shutil.copyfile(self.lab.console_path(name), kept)
        with open(kept, errors="replace") as f:
            tail = f.read().replace("\r", "").splitlines()[-30:]
        return f"console kept in {kept}, ending:\n" + "\n".join(tail)

    def assert_cloud_init_done(self, report):
        """cloud-init ran every stage of this boot, with no error (its status.json and result.json)."""
        status = json.loads(report["STATUS"])["v1"]
        self.assertIsNone(status["stage"], report["STATUS"])
        for stage in ("init-local", "init", "modules-config", "modules-final"):
            self.assertEqual(status[stage]["errors"], [], f"{stage}: {report['WARNINGS']}")
            self.assertIsNotNone(status[stage]["finished"], f"{stage} did not finish")
        self.assertEqual(json.loads(report["RESULT"])["v1"]["errors"], [], report["WARNINGS"])

    def assert_password(self, report, clear):
        shadow = report["SHADOW"].split(":")
        self.assertTrue(shadow[1].startswith("$6$"), report["SHADOW"])
        self.assertEqual(crypt(clear, shadow[1]), shadow[1], f"{report['SHADOW']} is not {clear!r}")
        self.assertNotEqual(shadow[2], "0", "the password must not be expired (chpasswd: {expire: false})")

    def report_after(self, name, since):
        """The first complete report on the guest's console after byte `since` (a guest that stays up)."""
        deadline = time.monotonic() + BOOT_TIMEOUT
        while time.monotonic() < deadline:
            with open(self.lab.console_path(name), errors="replace") as f:
                f.seek(since)
                found = reports(f.read())
            if found:
                return found[0]
            time.sleep(1)
        self.fail(f"{name}: no report within {BOOT_TIMEOUT} s; {self.console_evidence(name)}")

    def wait_for_drive_read(self, name, since, path, data):
        """Waits until the guest, re-reading its drive, prints `path` with `data`'s sha256 (after byte `since`)."""
        wanted = f"{hashlib.sha256(data.encode()).hexdigest()}  ./{path}"
        drives = []
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            with open(self.lab.console_path(name), errors="replace") as f:
                f.seek(since)
                drives = [base64.b64decode(m).decode() for m in re.findall(r"CI-DRIVE (\S+)", f.read())]
            if any(wanted in drive for drive in drives):
                return
            time.sleep(1)
        self.fail(f"{name} never read the new {path} from its drive: {drives[-1:]}; {self.console_evidence(name)}")

    def in_background(self, function):
        """Runs function() in a thread; the returned join() gives its result (or raises what it raised)."""
        outcome = {}

        def run():
            try:
                outcome["value"] = function()
            except BaseException as error:  # noqa: B036 (handed to the test's thread)
                outcome["error"] = error

        thread = threading.Thread(target=run)
        thread.start()

        def join():
            thread.join()
            if "error" in outcome:
                raise outcome["error"]
            return outcome["value"]

        return join

    LIFE_MAC = "52:54:00:c1:00:01"

    def define_life(self):
        """"life": a drive with a hostname, an instance id of its own, two SSH keys, user data and a password, and no
        network data (no <interface>: qemu's user network, restrict=on, nothing leaves the machine). Its instance id
        is not its SMBIOS UUID, so that cloud-init reads the drive at every boot and a new instance id reaches it
        (see "default" in CloudInitGuests). Returns the two public keys."""
        keys = [key_pair(self.files, "alice"), key_pair(self.files, "bob")]
        restricted = {"qemu": f"""<qemu:commandline><qemu:arg value='-netdev'/>
  <qemu:arg value='user,id=vcdnet,restrict=on'/><qemu:arg value='-device'/>
  <qemu:arg value='e1000,netdev=vcdnet,mac={self.LIFE_MAC},bus=pci.0,addr=0x10'/></qemu:commandline>"""}
        self.define("life", restricted)
        first_user_data = self.write("ud1", "#cloud-config\nwrite_files:\n  - path: /var/tmp/vcd-written\n"
                                            "    content: first user data\nruncmd:\n"
                                            "  - echo ran-first >> /var/tmp/vcd-runcmd\n")
        self.cli("enable", "life", "--hostname", "life-host", "--instance-id", "life-1", "--user-data",
                 first_user_data, "--ssh-key", keys[0], "--ssh-key", keys[1])
        self.cli("update", "life", "--password-stdin", stdin="first-Passw0rd\n")
        return keys

    def assert_life_first_boot(self, life, keys):
        """What cloud-init made of life's drive at its first boot."""
        self.assert_cloud_init_done(life)
        self.assertEqual(life["HOSTNAME"], "life-host")
        self.assertEqual(life["INSTANCE"], "life-1")
        self.assertEqual(sorted(life["KEYS"].splitlines()), sorted(keys))
        self.assertEqual(life.files.get("vcd-written"), "first user data")
        self.assertEqual(life.files.get("vcd-runcmd"), "ran-first\n")
        self.assertIn(f"link/ether {self.LIFE_MAC}", life["ADDRS"])
        self.assertIn("inet 10.0.2.15/24", life["ADDRS"], "cloud-init's fallback: DHCP from qemu's network")
        self.assert_password(life, "first-Passw0rd")
        self.assertTrue(life.host_keys(), life["HOSTKEYS"])


class CloudInitFirstBoot(CloudInitLab):
    """One boot of "life" (scripts/test-release runs it on another Debian release, with that release's cloud-init)."""

    def test_first_boot(self):
        keys = self.define_life()
        self.assert_life_first_boot(self.boot("life"), keys)


class CloudInitGuests(CloudInitLab):
    """"life" through three boots, and "default" beside it (see the module's description)."""

    def test_guests(self):
        net_mac = "52:54:00:c1:00:02"
        keys = self.define_life()
        # default: the default instance id (the domain's UUID, which is also its SMBIOS UUID); a NIC whose frames
        # go nowhere (lab.loopback_nic) with an address of its own from the network data. It stays up and
        # re-reads its drive every 2 s (vcd.stay).
        default_uuid = self.define("default", {"xml": lablib.loopback_nic(net_mac)}, cmdline="vcd.stay")
        network = self.write("net.json", '{"links": [{"id": "nic0", "type": "phy", "ethernet_mac_address": "'
                                         + net_mac + '"}], "networks": [{"id": "n0", "link": "nic0", '
                                         '"type": "ipv4", "ip_address": "192.0.2.10", "netmask": "255.255.255.0"}]}')
        self.cli("enable", "default", "--network-data", network, "--user-data",
                 self.write("ud-net", "#cloud-config\nruncmd:\n  - echo net >> /var/tmp/vcd-net\n"))
        self.cli("update", "default", "--password-stdin", stdin="default-Passw0rd\n")

        # Both guests boot at once, one core each.
        life_boot = self.in_background(lambda: self.boot("life"))
        self.lab.virsh("start", "default")
        default = self.report_after("default", 0)
        life = life_boot()

        with self.subTest("first boot"):
            self.assert_life_first_boot(life, keys)

        with self.subTest("static network data, default instance id"):
            self.assert_cloud_init_done(default)
            self.assertEqual(default["INSTANCE"], default_uuid)
            self.assertEqual(default.files.get("vcd-net"), "net\n")
            nic = re.search(r"^\d+: (\S+): .*link/ether " + net_mac, default["ADDRS"], re.M)
            self.assertIsNotNone(nic, default["ADDRS"])
            self.assertIn(f"{nic.group(1)}    inet 192.0.2.10/24", default["ADDRS"])
            self.assert_password(default, "default-Passw0rd")

        with self.subTest("a running guest re-reads its drive"):
            new_user_data = "#cloud-config\nruncmd:\n  - echo net-updated\n"
            since = self.lab.console_size("default")
            self.cli("update", "default", "--user-data", self.write("ud-net2", new_user_data), "--password-stdin",
                     stdin="default-Passw0rd-2\n")
            self.wait_for_drive_read("default", since, "openstack/latest/user_data", new_user_data)

        # Second boots: new passwords (and, for life, new user data), the same instances. default boots again
        # from its disk (destroyed, not shut down: its report synced what cloud-init wrote to the disk).
        self.lab.virsh("destroy", "default")
        self.cli("update", "life", "--password-stdin", "--user-data",
                 self.write("ud2", "#cloud-config\nwrite_files:\n  - path: /var/tmp/vcd-written-second\n"
                                   "    content: second user data\nruncmd:\n"
                                   "  - echo ran-second >> /var/tmp/vcd-runcmd\n"), stdin="second-Passw0rd\n")
        life_boot = self.in_background(lambda: self.boot("life"))
        since = self.lab.console_size("default")
        self.lab.virsh("start", "default")
        default_second = self.report_after("default", since)
        self.lab.virsh("destroy", "default")
        second = life_boot()
        with self.subTest("second boot"):
            self.assert_cloud_init_done(second)
            self.assert_password(second, "second-Passw0rd")
            self.assertEqual(second["INSTANCE"], "life-1")
            self.assertEqual(second.host_keys(), life.host_keys(), "the SSH host keys stay")
            self.assertEqual(second.files.get("vcd-runcmd"), "ran-first\n", "per-instance work is not rerun")
            self.assertNotIn("vcd-written-second", second.files, "new user data waits for a new instance")
        with self.subTest("second boot, default instance id: cloud-init trusts its cache, the boothook applies"):
            self.assertIn("restored from checked cache", default_second["DATASOURCE"],
                          "cloud-init did not read the drive at this boot")
            self.assert_cloud_init_done(default_second)
            self.assert_password(default_second, "default-Passw0rd-2")
            self.assertEqual(default_second["INSTANCE"], default_uuid)
            self.assertEqual(default_second.host_keys(), default.host_keys(), "the SSH host keys stay")
            self.assertEqual(default_second.files.get("vcd-net"), "net\n", "per-instance work is not rerun")

        # Third boot: a new instance id.
        self.cli("update", "life", "--new-instance")
        third = self.boot("life")
        with self.subTest("third boot"):
            self.assert_cloud_init_done(third)
            self.assertNotEqual(third["INSTANCE"], "life-1")
            self.assertEqual(third.files.get("vcd-written-second"), "second user data")
            self.assertEqual(third.files.get("vcd-runcmd"), "ran-first\nran-second\n")
            self.assertNotEqual(third.host_keys(), life.host_keys(), "a new instance gets new host keys")
            self.assert_password(third, "second-Passw0rd")


if __name__ == "__main__":
    ARGS, argv = lablib.parse_arguments("cli", "hook", "image")
    unittest.main(argv=argv)
