#!/usr/bin/python3
"""guest/follow_drive.py against this machine's cloud-init (Debian 12's 22.4 here, Debian 13's 25.1 in
scripts/test-release): it reads drives the CLI builds with cloud-init's own reader, and follows them through
cloud-init's own authorized_keys code, config and default user. What it must not do to this machine is faked: the
user's password and the hostname are recorded instead of set, and the user's home is a temporary directory (the
cloud-init guests of tests/e2e/cloudinit_guest_test.py apply them for real).

Usage: follow_drive_test.py PATH/TO/virt-configdrive
"""
import base64
import json
import os
import pickle
import pwd
import stat
import subprocess
import sys
import tempfile
import unittest
from unittest import mock

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests"))
import follow_drive  # noqa: E402
from cloudinit import helpers, sources, user_data  # noqa: E402
from cloudinit.event import EventType  # noqa: E402
from cloudinit.handlers.boot_hook import BootHookPartHandler  # noqa: E402
from cloudinit.sources import DataSourceConfigDrive  # noqa: E402
from drive_files import extract_rock_ridge  # noqa: E402
from host_crypt import crypt  # noqa: E402

CLI = None
SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "follow_drive.py")
UUID = "0d8b0a36-8a9e-4d57-9a3c-1f3e0e2b6a11"
USER_UID = 64242  # the test's default user: a uid no account of this machine has


def ssh_key(name, keytype="ssh-ed25519"):
    """A well-formed public key line: a blob that begins with its own type."""
    blob = len(keytype).to_bytes(4, "big") + keytype.encode() + len(name).to_bytes(4, "big") + name.encode()
    return f"{keytype} {base64.b64encode(blob).decode()} {name}@host"


ALICE, BOB, CAROL, HAND = ssh_key("alice"), ssh_key("bob", "ssh-rsa"), ssh_key("carol"), ssh_key("hand")


def build_drive(work, metadata, password=None):
    """A drive the CLI builds from <cd:configdrive> metadata, as cloud-init's reader gives it."""
    xml, iso, tree = (os.path.join(work, name) for name in ("domain.xml", "drive.iso", "tree"))
    with open(xml, "w") as f:
        f.write(f"""<domain type='kvm'><name>vm1</name><uuid>{UUID}</uuid><metadata>
  <cd:configdrive xmlns:cd="urn:virt-configdrive:metadata:1">{metadata}</cd:configdrive></metadata>
  <devices/></domain>""")
    command = [CLI, "build", "--domain-xml", xml, "-o", iso]
    if password:
        command.insert(-2, "--password-stdin")
    subprocess.run(command, input=f"{password}\n" if password else None, text=True, check=True, capture_output=True)
    extract_rock_ridge(iso, tree)
    return DataSourceConfigDrive.read_config_drive(tree)


def vendor_data(*parts):
    """vendor_data.json's object with `parts` as one MIME multipart string, as the CLI writes it; the follower's own
    part first."""
    body = "".join(f"\n--b\nContent-Type: text/plain\n\n{part}" for part in (follow_drive.FOLLOWER_PART, *parts))
    return {"cloud-init": f'Content-Type: multipart/mixed; boundary="b"\nMIME-Version: 1.0\n{body}\n--b--\n'}


def keys_xml(*keys):
    return "".join(f"<cd:public-key>{key}</cd:public-key>" for key in keys)


class ReadsTheDriveTheCliBuilds(unittest.TestCase):
    def setUp(self):
        self.work = tempfile.mkdtemp(prefix="vcd-follow-")
        self.addCleanup(subprocess.run, ["rm", "-rf", self.work])

    def test_keys_hostname_password_and_instance_id(self):
        results = build_drive(self.work, f"<cd:hostname>web2.example</cd:hostname>{keys_xml(ALICE, BOB)}",
                              password="Follow-Me-1")
        drive = follow_drive.Drive(results)
        self.assertEqual(drive.instance_id, UUID)
        self.assertEqual(sorted(drive.keys), sorted([ALICE, BOB]))
        self.assertEqual(drive.hostname, "web2.example")
        self.assertEqual(crypt("Follow-Me-1", drive.password), drive.password)
        self.assertTrue(drive.password.startswith("$6$"))
        self.assertEqual(drive.refused, [])

    def test_values_that_are_not_well_formed_are_refused(self):
        not_its_type = ALICE.replace("ssh-ed25519", "ssh-rsa")
        with_options = 'command="/bin/sh" ' + CAROL
        # What another tool, or a drive changed by hand, may hold: the CLI itself refuses some of them.
        results = build_drive(self.work, keys_xml(ALICE))
        results["metadata"]["public_keys"] = {"a": ALICE, "b": not_its_type, "c": with_options,
                                              "d": "ssh-ed25519 !!notbase64"}
        results["metadata"]["hostname"] = "bad_host!"
        results["vendordata"] = vendor_data(follow_drive.PASSWORD_PART + '{"password": "$1$salt$x"}\n')
        drive = follow_drive.Drive(results)
        self.assertEqual(drive.keys, [ALICE])
        self.assertIsNone(drive.hostname)
        self.assertIsNone(drive.password)
        self.assertEqual(len(drive.refused), 5, drive.refused)
        for why in ("is not of its type", "not a public key line", "not base64", "not a host name", "SHA-512"):
            self.assertTrue(any(why in line for line in drive.refused), f"{why}: {drive.refused}")

    def test_the_drive_carries_this_script_as_cloud_init_runs_it(self):
        results = build_drive(self.work, keys_xml(ALICE))
        paths = helpers.Paths({"cloud_dir": self.work, "run_dir": self.work})
        message = user_data.UserDataProcessor(paths).process(sources.convert_vendordata(results["vendordata"]))
        parts = [part for part in message.walk() if not part.is_multipart()]
        self.assertEqual([part.get_content_type() for part in parts], ["text/cloud-boothook", "text/x-shellscript"])
        # What cloud-init's boothook handler writes and runs is this file, byte for byte.
        handler = BootHookPartHandler(paths, None)
        handler.boothook_dir = self.work  # the instance's boothooks directory
        written = handler._write_part(parts[0].get_payload(decode=True).decode(), "part-001")
        with open(written) as ran, open(SCRIPT) as ours:
            self.assertEqual(ran.read(), ours.read())
        # Run by the interpreter, from the copy the boothook made.
        self.assertIn(f"/usr/bin/python3 {follow_drive.Paths().script} --instance-done",
                      parts[1].get_payload(decode=True).decode())

    def test_turned_off_the_drive_carries_none_of_it(self):
        results = build_drive(self.work, keys_xml(ALICE) + "<cd:guest-follows>no</cd:guest-follows>")
        self.assertEqual(results["vendordata"], {})


class WhyTheNetworkIsNotCloudInitsUpdateEvent(unittest.TestCase):
    def test_after_a_boot_update_event_a_config_drive_has_no_network_config(self):
        """cloud-init's `updates: network: when: [boot]` would re-read the drive at every boot. On a datasource
        restored from cloud-init's cache, as at every later boot, it leaves DataSourceConfigDrive.network_config the
        UNSET string, and init-local stops on it ('str' object has no attribute 'get'; cloud-init 22.4 and 25.1).
        When this test fails, cloud-init has fixed it: the follower's --network unit may give way to the event."""
        with tempfile.TemporaryDirectory() as work:
            extract = os.path.join(work, "cloud", "seed", "config_drive")
            build_drive(work, "<cd:guest-follows>no</cd:guest-follows>")
            extract_rock_ridge(os.path.join(work, "drive.iso"), extract)
            paths = helpers.Paths({"cloud_dir": os.path.join(work, "cloud"), "run_dir": os.path.join(work, "run")})
            drive = DataSourceConfigDrive.DataSourceConfigDrive({}, None, paths)
            self.assertTrue(drive.get_data())
            self.assertIsInstance(drive.network_config, (dict, type(None)))
            restored = pickle.loads(pickle.dumps(drive))  # as cloud-init's obj.pkl holds it
            self.assertTrue(restored.update_metadata_if_supported([EventType.BOOT]))
            self.assertEqual(restored.network_config, sources.UNSET)


class TrustsOnlyTheDriveOfTheRunningInstance(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="vcd-follow-")
        self.addCleanup(subprocess.run, ["rm", "-rf", self.root])
        self.paths = follow_drive.Paths(self.root)
        self.drives = {"/dev/sr0": {"metadata": {"instance-id": "other"}},
                       "/dev/sr1": {"metadata": {"instance-id": "i-1", "hostname": "web1"}}}

    def read(self, device):
        if device not in self.drives:
            raise OSError("mount failed")
        return self.drives[device]

    def running(self, instance_id):
        os.makedirs(os.path.dirname(self.paths.instance_id), exist_ok=True)
        with open(self.paths.instance_id, "w") as f:
            f.write(instance_id + "\n")

    def test_only_a_drive_whose_instance_id_cloud_init_runs(self):
        self.running("i-1")
        drive = follow_drive.trusted_drive(self.paths, lambda: ["/dev/sr2", "/dev/sr0", "/dev/sr1"], self.read)
        self.assertEqual(drive.hostname, "web1")
        self.running("i-2")
        self.assertIsNone(follow_drive.trusted_drive(self.paths, lambda: ["/dev/sr0", "/dev/sr1"], self.read))

    def test_nothing_before_cloud_init_runs_an_instance(self):
        self.assertIsNone(follow_drive.trusted_drive(self.paths, lambda: ["/dev/sr1"], self.read))


class RecordedDistro:
    """Stands in for the distro's password, hostname and network changes, which would change this machine's."""

    def __init__(self, fail_password=False):
        self.passwords, self.hostnames, self.networks, self.fail_password = [], [], [], fail_password
        self.networking = self  # the interfaces renamed as the network config says

    def apply_network_config_names(self, config):
        pass

    def apply_network_config(self, config, bring_up=False):
        self.networks.append((config, bring_up))

    def chpasswd(self, plist, hashed):
        if self.fail_password:
            raise OSError("chpasswd failed")
        self.passwords.append((plist, hashed))

    def set_hostname(self, hostname, fqdn=None):
        self.hostnames.append((hostname, fqdn))


class FollowsTheDrive(unittest.TestCase):
    """follow() with cloud-init's own config (this machine's /etc/cloud: Debian's default user, debian), its own
    authorized_keys code on a home of the test's, and the password and hostname recorded."""

    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="vcd-follow-")
        os.chmod(self.root, 0o755)
        self.addCleanup(subprocess.run, ["rm", "-rf", self.root])
        self.paths = follow_drive.Paths(self.root)
        self.home = os.path.join(self.root, "home", "debian")
        os.makedirs(self.home)
        # The default user, in the user database as cloud-init's code reads it (by name, and by the uid of a file).
        user = pwd.struct_passwd(("debian", "x", USER_UID, 0, "", self.home, "/bin/sh"))
        by_name, by_uid = pwd.getpwnam, pwd.getpwuid
        for name, fake in (("pwd.getpwnam", lambda name: user if name == "debian" else by_name(name)),
                           ("pwd.getpwuid", lambda uid: user if uid == USER_UID else by_uid(uid))):
            patcher = mock.patch(name, fake)
            patcher.start()
            self.addCleanup(patcher.stop)
        self.distro = RecordedDistro()
        # The guest's NIC, as cloud-init's converter of network_data.json finds it by its MAC.
        patcher = mock.patch("cloudinit.net.get_interfaces_by_mac", return_value={"52:54:00:0f:00:01": "ens3"})
        patcher.start()
        self.addCleanup(patcher.stop)
        self.guests = 0
        self.settings = {}  # cloud-config of the guest's own, over cloud-init's config

    def make_guest(self):
        self.guests += 1
        cloud_init = follow_drive.Guest.from_cloud_init()
        guest = follow_drive.Guest({**cloud_init.cfg, **self.settings}, cloud_init.distro, cloud_init.init)
        guest.init._cfg = guest.cfg
        guest.distro = self.distro
        return guest

    def follow(self, metadata, vendordata=None, trigger="--media-change", network=None):
        drive = follow_drive.Drive({"metadata": {"instance-id": "i-1", **metadata},
                                    "vendordata": vendordata or vendor_data(), "networkdata": network})
        follow_drive.follow(self.paths, trigger, make_guest=self.make_guest, drive_source=lambda: drive)
        return drive

    def authorized_keys(self):
        with open(os.path.join(self.home, ".ssh", "authorized_keys")) as f:
            return [line for line in f.read().splitlines() if line]

    def record(self):
        with open(self.paths.record) as f:
            return json.load(f)

    def password_vendor_data(self, password):
        return vendor_data(follow_drive.PASSWORD_PART + json.dumps({"password": crypt(password, "$6$saltsalt$")}))

    def test_the_default_user_is_the_one_cloud_init_names(self):
        self.assertEqual(follow_drive.Guest.from_cloud_init().user, "debian")

    def test_keys_the_drive_dropped_go_and_hand_added_keys_stay(self):
        self.follow({"public_keys": {"alice": ALICE, "bob": BOB}})
        self.assertEqual(sorted(self.authorized_keys()), sorted([ALICE, BOB]))
        with open(os.path.join(self.home, ".ssh", "authorized_keys"), "a") as f:
            f.write(HAND + "\n")
        self.follow({"public_keys": {"alice": ALICE, "carol": CAROL}})
        self.assertEqual(sorted(self.authorized_keys()), sorted([ALICE, CAROL, HAND]))
        self.assertEqual(sorted(self.record()["keys"]), sorted([ALICE, CAROL]))
        self.follow({"public_keys": {}})
        self.assertEqual(self.authorized_keys(), [HAND])

    def test_the_password_is_set_once_per_change_and_recorded_after(self):
        self.follow({}, self.password_vendor_data("one"))
        self.follow({}, self.password_vendor_data("one"))
        self.follow({}, self.password_vendor_data("two"))
        self.assertEqual([plist[0][1] for plist, _ in self.distro.passwords],
                         [crypt("one", "$6$saltsalt$"), crypt("two", "$6$saltsalt$")])
        self.assertTrue(all(hashed and plist[0][0] == "debian" for plist, hashed in self.distro.passwords))

    def test_a_password_that_failed_is_not_recorded_and_is_tried_again(self):
        self.distro.fail_password = True
        with self.assertRaises(OSError):
            self.follow({"public_keys": {"alice": ALICE}}, self.password_vendor_data("one"))
        record = self.record()
        self.assertEqual(record["keys"], [ALICE], "what was applied before the failure is recorded")
        self.assertNotIn("password_sha256", record)
        self.assertNotIn("drive", record)
        self.distro.fail_password = False
        self.follow({"public_keys": {"alice": ALICE}}, self.password_vendor_data("one"))
        self.assertEqual(len(self.distro.passwords), 1)
        self.assertIn("drive", self.record())

    def test_unchanged_drive_makes_no_guest(self):
        self.follow({"public_keys": {"alice": ALICE}, "hostname": "web1"})
        self.follow({"public_keys": {"alice": ALICE}, "hostname": "web1"})
        self.assertEqual(self.guests, 1, "the second run compared one digest and ended")

    def test_after_the_instances_first_boot_what_cloud_init_applied_is_recorded(self):
        self.follow({"public_keys": {"alice": ALICE}}, self.password_vendor_data("one"), trigger="--instance-done")
        self.assertEqual(self.distro.passwords, [], "set_passwords gave it, or the operator's own chpasswd")
        self.assertIn("password_sha256", self.record())
        self.follow({"public_keys": {"alice": ALICE}}, self.password_vendor_data("two"))
        self.assertEqual(len(self.distro.passwords), 1)

    def test_an_earlier_releases_password_record_is_taken(self):
        vendor = self.password_vendor_data("one")
        os.makedirs(os.path.dirname(self.paths.old_password_record), exist_ok=True)
        with open(self.paths.old_password_record, "w") as f:
            f.write(follow_drive.sha256(follow_drive.password_hash(vendor)) + "\n")
        self.follow({}, vendor)
        self.assertEqual(self.distro.passwords, [])

    def test_nothing_before_the_default_user_exists(self):
        with mock.patch("pwd.getpwnam", side_effect=KeyError("debian")):
            self.follow({"public_keys": {"alice": ALICE}}, self.password_vendor_data("one"))
        self.assertFalse(os.path.exists(self.paths.record))
        self.assertEqual(self.distro.passwords, [])

    def test_nothing_when_the_guest_refuses_vendor_data(self):
        self.settings = {"vendor_data": {"enabled": False}}
        self.follow({"public_keys": {"alice": ALICE}}, self.password_vendor_data("one"))
        self.assertFalse(os.path.exists(self.paths.record))
        self.assertEqual(self.distro.passwords, [])

    def test_vendor_data_enabled_as_cloud_init_decides_it(self):
        guest = follow_drive.Guest.from_cloud_init()
        self.assertTrue(guest.takes_vendor_data())
        guest.cfg = {**guest.cfg, "vendor_data": {"enabled": False}}
        self.assertFalse(guest.takes_vendor_data())

    def test_the_hostname_follows_unless_cloud_config_keeps_or_names_one(self):
        self.follow({"hostname": "web2.example"})
        self.assertEqual(self.distro.hostnames, [("web2", "web2.example")])
        for setting in ({"preserve_hostname": True}, {"hostname": "mine"}, {"fqdn": "mine.example"}):
            with self.subTest(setting=setting):
                self.distro.hostnames.clear()
                self.settings = setting
                self.follow({"hostname": "web3"})
                self.assertEqual(self.distro.hostnames, [])

    def network_data(self, address):
        return {"links": [{"id": "nic0", "type": "phy", "ethernet_mac_address": "52:54:00:0f:00:01"}],
                "networks": [{"id": "n0", "link": "nic0", "type": "ipv4", "ip_address": address,
                              "netmask": "255.255.255.0"}]}

    def test_the_network_follows_at_the_next_boot_as_cloud_init_renders_it(self):
        self.follow({}, network=self.network_data("192.0.2.10"), trigger="--instance-done")
        self.follow({}, network=self.network_data("192.0.2.10"), trigger="--before-network")
        self.assertEqual(self.distro.networks, [], "cloud-init rendered the first boot's")
        self.follow({}, network=self.network_data("192.0.2.11"), trigger="--media-change")
        self.assertEqual(self.distro.networks, [], "the running guest's network stays until the next boot")
        self.follow({}, network=self.network_data("192.0.2.11"), trigger="--before-network")
        [(config, bring_up)] = self.distro.networks
        self.assertFalse(bring_up, "rendered before the network starts, as cloud-init's init-local does")
        subnets = [subnet for entry in config["config"] for subnet in entry.get("subnets", [])]
        self.assertEqual([subnet["address"] for subnet in subnets], ["192.0.2.11"], config)
        self.follow({}, network=None, trigger="--before-network")
        self.assertEqual(len(self.distro.networks), 2, "without network data, cloud-init's fallback")

    def test_no_network_where_cloud_init_has_it_disabled(self):
        self.follow({}, network=self.network_data("192.0.2.10"), trigger="--instance-done")
        self.settings = {"network": {"config": "disabled"}}
        self.follow({}, network=self.network_data("192.0.2.11"), trigger="--before-network")
        self.assertEqual(self.distro.networks, [])

    def test_a_drive_without_the_follower_turns_it_off(self):
        self.follow({"public_keys": {"alice": ALICE}})
        for path in (self.paths.network_unit, self.paths.network_unit_wanted, self.paths.udev_rule):
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w"):
                pass
        self.follow({"public_keys": {"carol": CAROL}}, vendordata={"cloud-init": "#cloud-config\n"})
        self.assertEqual(self.authorized_keys(), [ALICE], "turned off on the host: nothing applied")
        for path in (self.paths.network_unit, self.paths.network_unit_wanted, self.paths.udev_rule):
            self.assertFalse(os.path.lexists(path), path)

    def test_a_drive_not_read_whole_is_not_taken_for_one_turned_off(self):
        """A read that overlaps a change of medium can lose vendor_data.json (cloud-init's reader takes an optional
        file it could not read for an absent one): that is no drive without the follower, and nothing is applied."""
        self.follow({"public_keys": {"alice": ALICE}})
        for path in (self.paths.network_unit, self.paths.network_unit_wanted, self.paths.udev_rule):
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w"):
                pass
        partial = follow_drive.Drive({"metadata": {"instance-id": "i-1", "public_keys": {"carol": CAROL}}})
        self.assertFalse(partial.whole)
        follow_drive.follow(self.paths, "--boot", make_guest=self.make_guest, drive_source=lambda: partial)
        self.assertEqual(self.authorized_keys(), [ALICE], "nothing applied from a drive not read whole")
        for path in (self.paths.network_unit, self.paths.network_unit_wanted, self.paths.udev_rule):
            self.assertTrue(os.path.lexists(path), f"{path}: removed as if the host had turned the follower off")

    def test_a_change_of_medium_reads_the_drive_again_until_it_is_whole(self):
        whole = follow_drive.Drive({"metadata": {"instance-id": "i-1", "public_keys": {"carol": CAROL}},
                                    "vendordata": vendor_data()})
        partial = follow_drive.Drive({"metadata": {"instance-id": "i-1", "public_keys": {"carol": CAROL}}})
        reads = [partial, partial, whole]
        with mock.patch.object(follow_drive, "MEDIA_CHANGE_PAUSE", 0):
            follow_drive.follow(self.paths, "--media-change", make_guest=self.make_guest,
                                drive_source=lambda: reads.pop(0))
        self.assertEqual(reads, [], "read three times")
        self.assertEqual(self.authorized_keys(), [CAROL])

        reads = [partial] * follow_drive.MEDIA_CHANGE_READS
        with mock.patch.object(follow_drive, "MEDIA_CHANGE_PAUSE", 0):
            follow_drive.follow(self.paths, "--media-change", make_guest=self.make_guest,
                                drive_source=lambda: reads.pop(0))
        self.assertEqual(reads, [], "as often as MEDIA_CHANGE_READS, then given up")
        self.assertEqual(self.authorized_keys(), [CAROL])

    def test_authorized_keys_through_a_link_are_left_alone(self):
        elsewhere = os.path.join(self.root, "elsewhere")
        with open(elsewhere, "w") as f:
            f.write("untouched\n")
        os.makedirs(os.path.join(self.home, ".ssh"))
        os.symlink(elsewhere, os.path.join(self.home, ".ssh", "authorized_keys"))
        with self.assertRaises(OSError):
            self.follow({"public_keys": {"alice": ALICE}})
        with open(elsewhere) as f:
            self.assertEqual(f.read(), "untouched\n")

    def test_a_guest_that_refuses_vendor_data_loses_the_boot_unit(self):
        for path in (self.paths.network_unit, self.paths.network_unit_wanted):
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w"):
                pass
        self.settings = {"vendor_data": {"enabled": False}}
        self.follow({}, network=self.network_data("192.0.2.11"), trigger="--before-network")
        self.assertFalse(os.path.lexists(self.paths.network_unit))
        self.assertFalse(os.path.lexists(self.paths.network_unit_wanted))

    def test_before_the_network_it_applies_all_and_spares_the_boothook(self):
        self.follow({"public_keys": {"alice": ALICE}}, network=self.network_data("192.0.2.10"),
                    trigger="--instance-done")
        self.follow({"public_keys": {"alice": ALICE, "carol": CAROL}}, self.password_vendor_data("two"),
                    network=self.network_data("192.0.2.11"), trigger="--before-network")
        self.assertEqual(sorted(self.authorized_keys()), sorted([ALICE, CAROL]))
        self.assertEqual(len(self.distro.passwords), 1)
        self.assertEqual(len(self.distro.networks), 1)
        self.assertTrue(os.path.exists(self.paths.followed_early))
        guests = self.guests
        follow_drive.follow(self.paths, "--boot", make_guest=self.make_guest, drive_source=self.fail)
        self.assertEqual(self.guests, guests, "the boothook read no drive and loaded nothing")

    def test_no_marker_when_nothing_could_be_applied_before_the_network(self):
        with mock.patch("pwd.getpwnam", side_effect=KeyError("debian")):
            self.follow({"public_keys": {"alice": ALICE}}, trigger="--before-network")
        self.assertFalse(os.path.exists(self.paths.followed_early), "the boothook must do it")

    def test_the_record_is_root_only(self):
        self.follow({"public_keys": {"alice": ALICE}})
        self.assertEqual(stat.S_IMODE(os.stat(self.paths.state_dir).st_mode), 0o700)
        self.assertEqual(stat.S_IMODE(os.stat(self.paths.record).st_mode), 0o600)
        self.assertTrue(self.paths.state_dir.startswith(os.path.join(self.root, "var/lib/cloud/")))


class CostsAReadAndADigestWhenNothingChanged(unittest.TestCase):
    def loaded(self, program):
        """The cloud-init modules a process running `program` (with follow_drive imported) loaded."""
        with tempfile.TemporaryDirectory() as root:
            program = f"""
import os
import sys
sys.path.insert(0, {os.path.dirname(SCRIPT)!r})
import follow_drive
paths = follow_drive.Paths({root!r})
{program}
print(" ".join(sorted(name for name in sys.modules if name.startswith("cloudinit"))))
"""
            result = subprocess.run(["/usr/bin/python3", "-c", program], capture_output=True, text=True, check=True)
        return result.stdout.split()

    def test_a_boothook_after_the_unit_loads_none_of_cloud_init(self):
        self.assertEqual(self.loaded("""
os.makedirs(paths.run_dir)
open(paths.followed_early, "w").close()
follow_drive.follow(paths, "--boot", make_guest=None, drive_source=None)
"""), [])

    def test_cloud_inits_stages_are_not_loaded(self):
        """A run whose drive (one the CLI built, read with cloud-init's reader) says what the record says."""
        with tempfile.TemporaryDirectory() as work:
            build_drive(work, keys_xml(ALICE))
            loaded = self.loaded(f"""
from cloudinit.sources import DataSourceConfigDrive
read = DataSourceConfigDrive.read_config_drive
os.makedirs(os.path.dirname(paths.instance_id))
open(paths.instance_id, "w").write({UUID!r})
drive = follow_drive.trusted_drive(paths, lambda: [{os.path.join(work, "tree")!r}], read)
follow_drive.Record(paths).set(drive=drive.digest())
follow_drive.follow(paths, "--media-change", make_guest=None, drive_source=lambda: drive)
""")
        self.assertIn("cloudinit.sources.DataSourceConfigDrive", loaded)
        for heavy in ("cloudinit.stages", "cloudinit.distros.ug_util", "cloudinit.distros.debian"):
            self.assertNotIn(heavy, loaded)


class InstallsItsTriggers(unittest.TestCase):
    def test_its_copy_a_udev_rule_under_run_and_a_unit_before_the_network(self):
        with tempfile.TemporaryDirectory() as root:
            paths = follow_drive.Paths(root)
            with mock.patch("subprocess.run") as run:
                follow_drive.install(paths, SCRIPT)
                follow_drive.install(paths, SCRIPT)
            run.assert_called_once_with(["udevadm", "control", "--reload"], check=False)
            with open(paths.script) as copy, open(SCRIPT) as ours:
                self.assertEqual(copy.read(), ours.read())
            self.assertEqual(stat.S_IMODE(os.stat(paths.script).st_mode), 0o600)
            self.assertEqual(stat.S_IMODE(os.stat(paths.state_dir).st_mode), 0o700)
            with open(paths.udev_rule) as f:
                rule = f.read()
            self.assertIn('ACTION=="change"', rule)
            self.assertIn('ENV{DISK_MEDIA_CHANGE}=="1"', rule)
            self.assertIn(f"/usr/bin/python3 {paths.script} --media-change", rule)
            self.assertTrue(paths.udev_rule.startswith(os.path.join(root, "run/")))
            with open(paths.network_unit) as f:
                unit = f.read()
            self.assertIn(f"ExecStart=/usr/bin/python3 {paths.script} --before-network", unit)
            self.assertIn("After=cloud-init-local.service", unit)
            self.assertIn("Before=network-pre.target", unit)
            self.assertEqual(os.readlink(paths.network_unit_wanted), paths.network_unit)


if __name__ == "__main__":
    CLI = sys.argv.pop(1)
    unittest.main(verbosity=2)
