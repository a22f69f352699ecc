#!/usr/bin/python3
"""cloud-init's own ConfigDrive reader (Debian's cloud-init package) accepts the drive the CLI builds.

Usage: cloudinit_reader_test.py PATH/TO/virt-configdrive
The drive is read back with pycdlib (Rock Ridge names, as a Linux guest sees them) into a directory, which is
what cloud-init's read_config_drive() takes once the device is mounted. Network and vendor data go through
cloud-init's own convert_net_json and convert_vendordata; the choice cloud-init then makes between the drive's
network config and its own fallback is made by cloud-init's own code, for a guest with one NIC (cloudinit_network).
"""
import atexit
import base64
import hashlib
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import unittest

import yaml
from cloudinit import handlers, helpers, sources, stages, user_data, version
from cloudinit.cmd import main as cloud_init_main
from cloudinit.handlers.cloud_config import CloudConfigPartHandler
from cloudinit.settings import PER_ALWAYS
from cloudinit.sources import DataSourceConfigDrive
from cloudinit.sources.helpers import openstack
from cloudinit_network import cloud_init_networks
from drive_files import extract_rock_ridge
from host_crypt import crypt

CLI = None
# cc_set_passwords: a password matching this is set with chpasswd -e (cloud-init 22.4).
# Major and minor: cloud-init's version_string() is "22.4.2" or "25.1.4".
CLOUD_INIT_VERSION = tuple(int(part) for part in version.version_string().split(".")[:2])
SET_PASSWORDS_HASH = r"\$(1|2a|2y|5|6)(\$.+){2}"
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
      <cd:guest-follows>no</cd:guest-follows>
    </cd:configdrive>
  </metadata>
  <devices/>
</domain>"""


def build(xml, host_config=None, stdin=None, extra=()):
    """Runs `virt-configdrive build`; with host_config, under that /etc/virt-configdrive/config.json (bound in a
    private mount namespace, so the machine's own stays untouched). Returns (iso bytes path, stderr)."""
    work = tempfile.mkdtemp(prefix="vcd-ci-")
    atexit.register(shutil.rmtree, work, True)
    xml_path, iso = os.path.join(work, "domain.xml"), os.path.join(work, "drive.iso")
    with open(xml_path, "w") as f:
        f.write(xml)
    command = [CLI, "build", "--domain-xml", xml_path, *extra, "-o", iso]
    if host_config is not None:
        etc = os.path.join(work, "etc")
        os.makedirs(etc)
        with open(os.path.join(etc, "config.json"), "w") as f:
            json.dump(host_config, f)
        os.makedirs("/etc/virt-configdrive", exist_ok=True)
        command = ["unshare", "-m", "--propagation", "private", "sh", "-c",
                   'mount --bind "$0" /etc/virt-configdrive && exec "$@"', etc, *command]
    result = subprocess.run(command, input=stdin, capture_output=True, text=True)
    if result.returncode != 0:
        raise AssertionError(f"build failed: {result.stderr}")
    return iso, result.stderr


def read_drive(iso):
    """(label, cloud-init's read_config_drive results) for an ISO."""
    with tempfile.TemporaryDirectory() as tree:
        label = extract_rock_ridge(iso, tree)
        return label, DataSourceConfigDrive.read_config_drive(tree)


def simple_domain(metadata, devices="", osinfo=""):
    return f"""<domain type='kvm'><name>vm1</name><uuid>{UUID}</uuid><metadata>{osinfo}
  <cd:configdrive xmlns:cd="urn:virt-configdrive:metadata:1">{metadata}</cd:configdrive></metadata>
  <devices>{devices}</devices></domain>"""


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
        self.assertNotIn("networkdata", results, "no network data: no network_data.json on the drive")

    def test_reader_sees_a_changed_hostname(self):
        _, results = self.build_and_read("db7")
        self.assertEqual(results["metadata"]["local-hostname"], "db7")


class NewInstance(unittest.TestCase):
    """--new-instance: what cloud-init's own Init decides at the next boot, with its state in a directory of its own
    (instances/<id>/ holds the per-instance semaphores that keep user data and SSH host keys from running twice)."""

    def setUp(self):
        self.cloud = tempfile.mkdtemp(prefix="vcd-cloud-")
        self.addCleanup(shutil.rmtree, self.cloud, True)
        self.paths = {"cloud_dir": os.path.join(self.cloud, "cloud"), "run_dir": os.path.join(self.cloud, "run")}
        for directory in self.paths.values():
            os.makedirs(directory)

    def boot(self, iso):
        """One boot's start of cloud-init: its datasource reads the drive; returns (instance id, is it new)."""
        _, results = read_drive(iso)
        datasource = DataSourceConfigDrive.DataSourceConfigDrive({}, None, helpers.Paths(self.paths))
        datasource.metadata = results["metadata"]
        init = stages.Init(ds_deps=[])
        init._cfg = {"system_info": {"paths": self.paths}}
        init.datasource = datasource
        new = init.is_new_instance()
        init._reflect_cur_instance()
        return datasource.get_instance_id(), new

    def test_only_a_new_instance_makes_cloud_init_run_its_once_per_instance_work_again(self):
        first_id, first_new = self.boot(build(domain_xml("web1"))[0])
        self.assertEqual((first_id, first_new), (UUID, True))
        changed_id, changed_new = self.boot(build(domain_xml("web2"))[0])
        self.assertEqual((changed_id, changed_new), (UUID, False), "changed data alone is the same instance")
        new_id, new_new = self.boot(build(domain_xml("web2"), extra=["--new-instance"])[0])
        self.assertTrue(new_new)
        self.assertRegex(new_id, r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
        self.assertNotEqual(new_id, UUID)
        again_id, again_new = self.boot(build(domain_xml("web2"), extra=["--new-instance"])[0])
        self.assertTrue(again_new)
        self.assertNotIn(again_id, (UUID, new_id))
        self.assertEqual(sorted(os.listdir(os.path.join(self.paths["cloud_dir"], "instances"))),
                         sorted([UUID, new_id, again_id]))


MACS = ["52:54:00:AA:00:01", "52:54:00:aa:00:02"]
NICS = "".join(f"<interface type='network'><mac address='{m}'/><source network='default'/></interface>" for m in MACS)


class CloudInitUsesNetworkAndVendorData(unittest.TestCase):
    def test_dhcp_mode_gives_a_network_config_naming_every_nic(self):
        iso, _ = build(simple_domain("", NICS), host_config={"network_data": "dhcp"})
        _, results = read_drive(iso)
        known = {m.lower(): f"eth{i}" for i, m in enumerate(MACS)}
        config = openstack.convert_net_json(results["networkdata"], known_macs=known)
        physical = [c for c in config["config"] if c["type"] == "physical"]
        self.assertEqual(sorted(c["mac_address"] for c in physical), sorted(known))
        self.assertEqual(sorted(c["name"] for c in physical), ["eth0", "eth1"])
        self.assertTrue(all(c["subnets"] == [{"type": "dhcp4"}] for c in physical))

    def test_network_data_element_is_what_cloud_init_converts(self):
        network = {"links": [{"id": "tap0", "type": "phy", "ethernet_mac_address": MACS[0], "mtu": 1400}],
                   "networks": [{"id": "net0", "link": "tap0", "type": "ipv4", "ip_address": "192.0.2.10",
                                 "netmask": "255.255.255.0", "gateway": "192.0.2.1"}],
                   "services": [{"type": "dns", "address": "192.0.2.53"}]}
        iso, _ = build(simple_domain(f"<cd:network-data>{json.dumps(network)}</cd:network-data>", NICS))
        _, results = read_drive(iso)
        self.assertEqual(results["networkdata"], network)
        config = openstack.convert_net_json(results["networkdata"], known_macs={MACS[0].lower(): "ens3"})
        nic = next(c for c in config["config"] if c["type"] == "physical")
        self.assertEqual((nic["name"], nic["mtu"]), ("ens3", 1400))
        self.assertEqual(nic["subnets"][0]["address"], "192.0.2.10")
        self.assertIn({"type": "nameserver", "address": "192.0.2.53"}, config["config"])

    def test_vendor_data_under_cloud_init_reaches_cloud_init(self):
        iso, err = build(simple_domain('<cd:vendor-data>{"cloud-init": "#cloud-config\\nruncmd: [x]\\n"}'
                                       '</cd:vendor-data><cd:guest-follows>no</cd:guest-follows>'))
        _, results = read_drive(iso)
        self.assertEqual(sources.convert_vendordata(results["vendordata"]), "#cloud-config\nruncmd: [x]\n")
        self.assertEqual(err, "")

    def test_vendor_data_without_cloud_init_key_is_ignored_and_the_cli_warns(self):
        iso, err = build(simple_domain('<cd:vendor-data>{"something": "else"}</cd:vendor-data>'
                                       '<cd:guest-follows>no</cd:guest-follows>'))
        _, results = read_drive(iso)
        self.assertIsNone(sources.convert_vendordata(results["vendordata"]))
        self.assertIn('warning: cd:vendor-data: has no "cloud-init" key; cloud-init ignores it', err)


class CloudInitGivesTheGuestANetwork(unittest.TestCase):
    """Which network config cloud-init applies, and to which NIC, for the drives a domain with one NIC gets."""

    MAC = "52:54:00:AA:00:07"
    NIC = f"<interface type='network'><mac address='{MAC}'/><source network='default'/></interface>"

    def decisions(self, *drives):
        trees = []
        for iso in drives:
            tree = tempfile.mkdtemp(prefix="vcd-tree-")
            self.addCleanup(shutil.rmtree, tree, True)
            extract_rock_ridge(iso, tree)
            trees.append(tree)
        return cloud_init_networks(trees, self.MAC)

    def test_the_three_kinds_of_drive_each_configure_the_domains_nic(self):
        static = {"links": [{"id": "tap0", "type": "phy", "ethernet_mac_address": self.MAC}],
                  "networks": [{"id": "net0", "link": "tap0", "type": "ipv4", "ip_address": "192.0.2.10",
                                "netmask": "255.255.255.0", "gateway": "192.0.2.1"}]}
        default, _ = build(simple_domain("", self.NIC))
        dhcp, _ = build(simple_domain("", self.NIC), host_config={"network_data": "dhcp"})
        explicit, _ = build(simple_domain(f"<cd:network-data>{json.dumps(static)}</cd:network-data>", self.NIC))

        by_default, by_dhcp, by_metadata = self.decisions(default, dhcp, explicit)

        mac = self.MAC.lower()
        # No network_data.json: cloud-init's own fallback wins, DHCP on the one NIC.
        self.assertEqual(by_default["source"], "fallback")
        self.assertEqual(by_default["config"]["ethernets"]["ens3"]["match"]["macaddress"], mac)
        self.assertTrue(by_default["config"]["ethernets"]["ens3"]["dhcp4"])
        self.assertEqual(by_default["addressed"], [mac])
        # "dhcp" mode: the drive's config wins, DHCP on the link with the domain's MAC.
        self.assertEqual(by_dhcp["source"], "ds")
        nic = next(c for c in by_dhcp["config"]["config"] if c["type"] == "physical")
        self.assertEqual((nic["mac_address"], nic["name"], nic["subnets"]), (mac, "ens3", [{"type": "dhcp4"}]))
        self.assertEqual(by_dhcp["addressed"], [mac])
        # cd:network-data: the drive's config wins, the static address on the domain's NIC.
        self.assertEqual(by_metadata["source"], "ds")
        nic = next(c for c in by_metadata["config"]["config"] if c["type"] == "physical")
        self.assertEqual((nic["mac_address"], nic["name"]), (mac, "ens3"))
        self.assertEqual(nic["subnets"][0]["address"], "192.0.2.10")
        self.assertEqual(by_metadata["addressed"], [mac])

    def test_an_empty_network_data_json_leaves_the_guest_without_network(self):
        """What the drive used to carry by default, and what CloudStack writes: cloud-init takes it over its
        fallback and configures nothing. virt-configdrive build warns of it and inspect calls it a problem."""
        iso, err = build(simple_domain("<cd:network-data>{}</cd:network-data>", self.NIC))
        (decision,) = self.decisions(iso)
        self.assertEqual((decision["source"], decision["config"], decision["addressed"]),
                         ("ds", {"version": 1, "config": []}, []))
        self.assertIn("warning: cd:network-data: the guest would boot without network: it has no networks", err)
        inspected = subprocess.run([CLI, "inspect", iso], capture_output=True, text=True)
        self.assertEqual(inspected.returncode, 1)
        self.assertIn("problem: cloud-init would configure no network: /openstack/latest/network_data.json: it has "
                      "no networks", inspected.stdout)


class GuestsGetTheirPasswords(unittest.TestCase):
    OSINFO = ("<libosinfo:libosinfo xmlns:libosinfo='http://libosinfo.org/xmlns/libvirt/domain/1.0'>"
              "<libosinfo:os id='http://microsoft.com/win/2k22'/></libosinfo:libosinfo>")

    def files(self, iso):
        with tempfile.TemporaryDirectory() as tree:
            extract_rock_ridge(iso, tree)
            found = {}
            for root, _, names in os.walk(tree):
                for name in names:
                    with open(os.path.join(root, name), "rb") as f:
                        found[os.path.relpath(os.path.join(root, name), tree)] = f.read()
            return found

    def test_libosinfo_windows_gets_checksum_and_admin_pass(self):
        for password in ("pw443", "Tr0ub4dor&3"):  # MD5("pw443") starts with five zero nibbles
            iso, _ = build(simple_domain("", osinfo=self.OSINFO), stdin=password + "\n", extra=["--password-stdin"])
            files = self.files(iso)
            # CloudStack writes new BigInteger(1, md5).toString(16): lower-case hex, no leading zeros.
            expected = format(int(hashlib.md5(password.encode()).hexdigest(), 16), "x")
            self.assertEqual(files["cloudstack/password/vm-password-md5checksum.txt"], expected.encode())
            self.assertEqual(files["cloudstack/password/vm_password.txt"], password.encode())
            self.assertEqual(json.loads(files["openstack/latest/meta_data.json"])["admin_pass"], password)
        self.assertTrue(hashlib.md5(b"pw443").hexdigest().startswith("0"), "the vector must start with a zero")

    def test_a_linux_guests_clear_text_is_nowhere_on_the_drive_unless_asked(self):
        iso, _ = build(simple_domain(""), stdin="pw443-Clear\n", extra=["--password-stdin"])
        with open(iso, "rb") as f:
            image = f.read()
        self.assertEqual(image.find(b"pw443-Clear"), -1, "the clear text: in no file, nor anywhere else in the image")
        _, config = self.merged_vendor_config(iso)
        self.assertEqual(crypt("pw443-Clear", config["password"]), config["password"], "cloud-init has the hash")
        iso, _ = build(simple_domain(""), stdin="pw443\n", extra=["--password-stdin", "--password-cleartext", "yes"])
        files = self.files(iso)
        self.assertEqual(files["cloudstack/password/vm_password.txt"], b"pw443")
        self.assertNotIn("cloudstack/password/vm-password-md5checksum.txt", files)
        self.assertNotIn("admin_pass", json.loads(files["openstack/latest/meta_data.json"]))

    def test_a_windows_guest_without_the_clear_text_gets_no_password_and_is_told(self):
        iso, err = build(simple_domain("", osinfo=self.OSINFO), stdin="pw443-Clear\n",
                         extra=["--password-stdin", "--password-cleartext", "no"])
        with open(iso, "rb") as f:
            self.assertNotIn(b"pw443-Clear", f.read())
        self.assertNotIn("admin_pass", json.loads(self.files(iso)["openstack/latest/meta_data.json"]))
        self.assertIn("no password reaches it", err)

    def merged_vendor_config(self, iso):
        """The drive's vendor data as cloud-init takes it: convert_vendordata, its UserDataProcessor (part types),
        and its cloud-config handler merging the cloud-config parts in order. Returns (part types, config)."""
        with tempfile.TemporaryDirectory() as work:
            _, results = read_drive(iso)
            paths = helpers.Paths({"cloud_dir": work, "run_dir": work})
            message = user_data.UserDataProcessor(paths).process(sources.convert_vendordata(results["vendordata"]))
            merged = os.path.join(work, "vendor-cloud-config.txt")
            handler = CloudConfigPartHandler(paths)
            handler.cloud_fn = merged  # where the instance's vendor-cloud-config.txt would be
            handler.handle_part(None, handlers.CONTENT_START, None, None, None, None)
            types = []
            for part in message.walk():
                if part.is_multipart():
                    continue
                types.append(part.get_content_type())
                if part.get_content_type() == "text/cloud-config":
                    handler.handle_part(None, "text/cloud-config", part.get_filename(),
                                        part.get_payload(decode=True).decode(), PER_ALWAYS, part)
            handler.handle_part(None, handlers.CONTENT_END, None, None, None, None)
            with open(merged) as f:
                return types, yaml.safe_load(f)

    def test_linux_password_reaches_set_passwords_as_a_hash_not_expired(self):
        iso, _ = build(simple_domain('<cd:vendor-data>{"cloud-init": "#cloud-config\\nruncmd: [x]\\n"}'
                                     '</cd:vendor-data>'), stdin="Tr0ub4dor&3\n", extra=["--password-stdin"])
        self.assertNotIn(b"Tr0ub4dor&3", self.files(iso)["openstack/latest/vendor_data.json"])
        types, config = self.merged_vendor_config(iso)
        # The password's part, the guest follower's (the boothook, the instance's script), the operator's.
        self.assertEqual(types, ["text/cloud-config", "text/cloud-boothook", "text/x-shellscript", "text/cloud-config"])
        self.assertEqual(config["runcmd"], ["x"], "the operator's own vendor data stays")
        self.assertNotIn("updates", config, "cloud-init's update event breaks a config drive datasource")
        self.assertEqual(config["chpasswd"], {"expire": False})
        self.assertNotIn("ssh_pwauth", config)
        # set_passwords takes a value matching its own pattern as a hash (chpasswd -e); crypt(3) checks it.
        self.assertRegex(config["password"], SET_PASSWORDS_HASH)
        self.assertEqual(crypt("Tr0ub4dor&3", config["password"]), config["password"])

    def test_init_local_takes_vendor_data_given_as_a_list(self):
        """cloud-init 24.3 and later ask in init-local whether the vendor data needs the network; a list of parts
        stopped that stage there with an AttributeError (Debian 13's 25.1). Debian 12's 22.4 asks nothing. The
        operator's list reaches the guest as one string, with a password and without, its part still there."""
        vendor = '<cd:vendor-data>{"cloud-init": ["#cloud-config\\nruncmd: [x]\\n"]}</cd:vendor-data>'
        for password in (True, False):
            with self.subTest(password=password):
                iso, _ = build(simple_domain(vendor), stdin="pw\n" if password else None,
                               extra=["--password-stdin"] if password else [])
                _, results = read_drive(iso)
                raw = sources.convert_vendordata(results["vendordata"])
                self.assertIsInstance(raw, str)
                self.assertEqual(self.merged_vendor_config(iso)[1]["runcmd"], ["x"])

    @unittest.skipUnless(CLOUD_INIT_VERSION >= (24, 3),
                         f"cloud-init {version.version_string()} asks nothing of the vendor data in init-local")
    def test_init_local_waits_for_the_network_for_vendor_data_given_as_a_list(self):
        """A multipart message is no cloud-config: init-local waits for the network before it runs it."""
        vendor = '<cd:vendor-data>{"cloud-init": ["#cloud-config\\nruncmd: [x]\\n"]}</cd:vendor-data>'
        iso, _ = build(simple_domain(vendor))
        _, results = read_drive(iso)
        raw = sources.convert_vendordata(results["vendordata"])
        self.assertEqual(cloud_init_main._should_wait_via_user_data(raw), (True, "non-cloud-config user data found"))

    def test_the_operators_own_password_wins_cloud_inits_merge(self):
        iso, _ = build(simple_domain('<cd:vendor-data>{"cloud-init": "#cloud-config\\npassword: theirs\\n"}'
                                     '</cd:vendor-data>'), stdin="mine\n", extra=["--password-stdin"])
        _, config = self.merged_vendor_config(iso)
        self.assertEqual(config["password"], "theirs")
        self.assertEqual(config["chpasswd"], {"expire": False})


class CloudStackLayoutByteForByte(unittest.TestCase):
    def test_text_files_have_no_trailing_newline_and_keys_one_per_line(self):
        iso, _ = build(domain_xml("web1"))
        with tempfile.TemporaryDirectory() as tree:
            extract_rock_ridge(iso, tree)
            meta = os.path.join(tree, "cloudstack", "metadata")
            read = lambda name: pathlib.Path(meta, name).read_bytes()  # noqa: E731
            self.assertEqual(read("vm-id.txt"), UUID.encode())
            self.assertEqual(read("instance-id.txt"), UUID.encode())
            self.assertEqual(read("local-hostname.txt"), b"web1")
            self.assertEqual(read("public-keys.txt"), "\n".join(k for _, k in KEYS).encode())
            self.assertEqual(sorted(os.listdir(meta)),
                             ["instance-id.txt", "local-hostname.txt", "public-keys.txt", "vm-id.txt"])


if __name__ == "__main__":
    CLI = sys.argv.pop(1)
    unittest.main(verbosity=2)
