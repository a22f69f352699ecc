#!/usr/bin/python3
"""End to end: Debian guests that run cloud-init at boot (scripts/cloud-guest-image), started by the hook in a lab
host, report what cloud-init and the guest follower did with their config drive: accounts, keys, network, files.
The image is built from this machine's own Debian release (bookworm, or trixie inside scripts/test-release).

Two guests boot at once (one core each under TCG), each from a persistent disk:
- "default" (the default instance id, which is also its SMBIOS UUID, so that cloud-init restores its datasource
  from its cache at every later boot; static --network-data for its NIC's MAC; two SSH keys, and user data whose
  runcmd adds a third by hand) boots and stays up. While it runs, `update` drops one key, adds another, and changes
  the hostname and the password: the guest follower applies them with no reboot. Then it boots again after a new
  hostname, password and network data: applied, with the same host keys and its once-per-instance runcmd not rerun;
  then status is asked while its guest agent refuses to read files, refuses guest-exec, and is stopped.
- "life" (qemu's user network, restrict=on, no network data: cloud-init's DHCP fallback; an instance id of its own)
  boots once; with CloudInitGuests, a second time, to stay up, after `enable --new-instance --wait` with a new
  password and user data whose runcmd fails: enable returns once the guest applied the drive, and status shows the
  failure.

CloudInitGuests: both guests, life through both boots (scripts/test). CloudInitRelease: both guests, life's first
boot only (scripts/test-release, on another Debian release with that release's cloud-init).

Usage: cloudinit_guest_test.py --cli PATH --hook PATH --image CACHE_DIR [CloudInitGuests|CloudInitRelease]
"""
import base64
import json
import os
import re
import subprocess
import sys
import threading
import time
import uuid as uuidlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import lab as lablib  # noqa: E402
from host_crypt import crypt  # noqa: E402

BOOT_TIMEOUT = 600
USER = "debian"  # Debian's cloud.cfg: default_user
QEMU_NS = "http://libvirt.org/schemas/domain/qemu/1.0"


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


class LiveState:
    """One CI-LIVE line of a guest that stays up: its hostname, its default user's shadow entry and authorized_keys,
    and the guest follower's record."""

    def __init__(self, fields):
        self.hostname, self.shadow, keys, record = (base64.b64decode(field).decode()[1:] for field in fields)
        self.keys = sorted(line for line in keys.splitlines() if line.strip())
        self.record = json.loads(record) if record else {}


def live_states(console_text):
    text = console_text.replace("\r", "")
    return [LiveState(fields.split(" ")) for fields in re.findall(r"^CI-LIVE (\S+ \S+ \S+ \S+)$", text, re.M)]


def reports(console_text):
    text = console_text.replace("\r", "")
    return [Report(block) for block in re.findall(r"CI-BEGIN\n(.*?)CI-END", text, re.S)]


def key_pair(directory, name):
    path = os.path.join(directory, name)
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"{name}@host", "-f", path], check=True)
    with open(path + ".pub") as f:
        return f.read().strip()


class CloudInitLab(lablib.LabTest):
    """A lab host with the hook, the cloud-init guest image, and what its tests share."""

    @classmethod
    def setUpClass(cls):
        cls.kernel, cls.initrd, cls.base = cloud_guest_image(cls.settings.image)
        cls.lab = lablib.Lab(cls.settings.hook, cls.kernel, cls.initrd)
        cls.files = lablib.files_dir("vcd-cloudinit-")

    @classmethod
    def tearDownClass(cls):
        cls.lab.close()
        subprocess.run(["rm", "-rf", cls.files], check=False)

    def cli(self, *args, stdin=None):
        return self.run_cli(self.lab, *args, stdin=stdin)

    def status(self, name):
        """`virt-configdrive status NAME --json`, which must succeed."""
        return json.loads(self.cli("status", name, "--json").stdout)

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
    <channel type='unix'><source mode='bind'/><target type='virtio' name='org.qemu.guest_agent.0'/></channel>
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
        if not found:
            self.fail(f"{name}: no report on the console; {self.lab.console_evidence(name)}")
        return found[-1]

    def assert_cloud_init_done(self, report, failing=()):
        """cloud-init ran every stage of this boot, with no error (its status.json and result.json) but in the
        stages named in `failing`, and none of this project's parts failed: a boothook or vendor script that fails
        is only a recoverable error (a warning) to cloud-init 23.4 and later, and only a log line to earlier ones."""
        status = json.loads(report["STATUS"])["v1"]
        self.assertIsNone(status["stage"], report["STATUS"])
        for stage in ("init-local", "init", "modules-config", "modules-final"):
            if stage not in failing:
                self.assertEqual(status[stage]["errors"], [], f"{stage}: {report['WARNINGS']}")
            self.assertIsNotNone(status[stage]["finished"], f"{stage} did not finish")
            recoverable = json.dumps(status[stage].get("recoverable_errors", {}))
            self.assertNotRegex(recoverable, r"(?i)boothook|scripts[-_/]vendor", stage)
        if not failing:
            self.assertEqual(json.loads(report["RESULT"])["v1"]["errors"], [], report["WARNINGS"])
        for failure in ("Boothooks script", "scripts-vendor", "scripts/vendor"):
            self.assertNotIn(failure, report["WARNINGS"])

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
        self.fail(f"{name}: no report within {BOOT_TIMEOUT} s; {self.lab.console_evidence(name)}")

    def wait_for_live(self, name, since, wanted, timeout=300):
        """The first CI-LIVE state after byte `since` that satisfies wanted(state), and the seconds it took to
        appear."""
        started = time.monotonic()
        states = []
        while time.monotonic() < started + timeout:
            with open(self.lab.console_path(name), errors="replace") as f:
                f.seek(since)
                states = live_states(f.read())
            for state in states:
                if wanted(state):
                    return state, time.monotonic() - started
            time.sleep(0.5)
        last = states[-1].__dict__ if states else None
        self.fail(f"{name}: not applied within {timeout} s, last state {last}; {self.lab.console_evidence(name)}")

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

    def agent(self, name, command, arguments=None, check=True):
        """A guest agent command through libvirt (virsh qemu-agent-command): its "return", or with check=False the
        virsh result when it fails."""
        request = {"execute": command, **({"arguments": arguments} if arguments else {})}
        result = self.lab.virsh("qemu-agent-command", name, json.dumps(request), check=check)
        return json.loads(result.stdout)["return"] if result.returncode == 0 else result

    def guest_run(self, name, script):
        """Starts a shell script in the guest through its agent's guest-exec (it runs in the agent's own unit)."""
        self.agent(name, "guest-exec", {"path": "/bin/sh", "arg": ["-c", script]})

    def status_until(self, name, wanted, timeout=120):
        """`status NAME --json` run until wanted(result) holds (the guest agent restarting meanwhile); the result."""
        deadline = time.monotonic() + timeout
        while True:
            result = self.lab.cli(self.settings.cli, "status", name, "--json")
            if wanted(result):
                return result
            if time.monotonic() > deadline:
                self.fail(f"status {name}: exit {result.returncode}, {result.stdout}{result.stderr}")
            time.sleep(1)

    # qemu-ga reads the commands it refuses from its configuration file when it starts: "blacklist" up to QEMU 8.0
    # (Debian 12), "block-rpcs" since. The path unit stops the agent when the host writes /run/vcd-stop-agent
    # (guest-file-write), which still works once guest-exec is refused.
    AGENT_SETUP = """mkdir -p /etc/qemu
cat > /etc/systemd/system/vcd-stop-agent.path <<'UNIT'
[Path]
PathExists=/run/vcd-stop-agent
UNIT
cat > /etc/systemd/system/vcd-stop-agent.service <<'UNIT'
[Service]
Type=oneshot
ExecStart=/bin/systemctl stop qemu-guest-agent.service
UNIT
systemctl daemon-reload
systemctl start vcd-stop-agent.path
"""

    def restart_agent_refusing(self, name, commands, first=""):
        """Restarts the guest's qemu-ga so that it refuses `commands`, after the script `first`. (The restart ends
        what guest-exec started: it is the script's last step.)"""
        refused = ",".join(commands)
        self.guest_run(name, f"{first}printf '[general]\\nblacklist={refused}\\nblock-rpcs={refused}\\n' "
                             "> /etc/qemu/qemu-ga.conf; systemctl --no-block restart qemu-guest-agent.service")

    def assert_status_through_agent_states(self, name, hostname):
        """status of a running guest whose agent refuses to read files, refuses guest-exec (status still answers),
        and is stopped: one line each time it cannot ask, and exit status 3."""
        self.restart_agent_refusing(name, ["guest-file-open"], first=self.AGENT_SETUP)
        refused = self.status_until(name, lambda r: r.returncode == 3 and "refuses" in r.stderr)
        self.assertEqual(refused.stderr.count("\n"), 1, refused.stderr)
        self.assertIn(f"{name}: the guest agent refuses a command this tool needs", refused.stderr)
        self.assertIn("guest-file-open", refused.stderr)

        self.restart_agent_refusing(name, ["guest-exec", "guest-exec-status"])
        deadline = time.monotonic() + 120
        while True:
            tried = self.agent(name, "guest-exec", {"path": "/bin/true"}, check=False)
            if not isinstance(tried, dict) and "disabled" in tried.stderr:
                break
            self.assertLess(time.monotonic(), deadline, f"the agent did not come back refusing guest-exec: {tried}")
            time.sleep(1)
        status = json.loads(self.status_until(name, lambda r: r.returncode == 0).stdout)
        self.assertEqual(status["hostname"], hostname, "read with guest-exec refused")
        self.assertEqual(status["drive"], {"applied": True, "why": None})
        self.assertEqual(status["cloud_init"]["status"], "done", status)

        handle = self.agent(name, "guest-file-open", {"path": "/run/vcd-stop-agent", "mode": "w"})
        self.agent(name, "guest-file-close", {"handle": handle})
        stopped = self.status_until(name, lambda r: r.returncode == 3 and "does not answer" in r.stderr)
        self.assertEqual(stopped.stderr.count("\n"), 1, stopped.stderr)
        self.assertIn(f"{name}: the guest agent does not answer", stopped.stderr)

    LIFE_MAC = "52:54:00:c1:00:01"
    DEFAULT_MAC = "52:54:00:c1:00:02"

    def define_life(self):
        """"life": a drive with a hostname, an instance id of its own, two SSH keys, user data and a password, and no
        network data (no <interface>: qemu's user network, restrict=on, nothing leaves the machine). Its instance id
        is not its SMBIOS UUID, so that cloud-init reads the drive at every boot and a new instance id reaches it.
        Returns the two public keys."""
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

    def start_life_new_instance(self):
        """life as a new instance, with a third password and user data whose runcmd fails, made by `enable --wait`
        while it is stopped; then started, to stay up (vcd.stay) for status. Returns the enable process, still
        waiting, and a join() for life's report."""
        xml = self.lab.virsh("dumpxml", "life", "--inactive").stdout
        self.lab.define(xml.replace("systemd.show_status=0", "systemd.show_status=0 vcd.stay", 1))
        user_data = self.write("ud2", "#cloud-config\nwrite_files:\n  - path: /var/tmp/vcd-written-second\n"
                                      "    content: second user data\nruncmd:\n"
                                      "  - echo ran-second >> /var/tmp/vcd-runcmd\n  - exit 7\n")
        enable = self.lab.cli_process(self.settings.cli, "enable", "life", "--new-instance", "--password-stdin", "--user-data",
                                      user_data, "--wait=600")
        enable.stdin.write("third-Passw0rd\n")
        enable.stdin.close()
        said = []
        while not said or "waiting until its guest applies the drive" not in said[-1]:
            said.append(enable.stdout.readline())
            if not said[-1]:
                self.fail(f"enable --wait ended before it waited: {''.join(said)}{enable.stderr.read()}")
        since = self.lab.console_size("life")
        self.lab.virsh("start", "life")
        return enable, self.in_background(lambda: self.report_after("life", since))

    def assert_cloud_init_failed_in_runcmd(self, report):
        """cloud-init ran every stage of this boot, and only the user's runcmd failed."""
        self.assert_cloud_init_done(report, failing=("modules-final",))
        status = json.loads(report["STATUS"])["v1"]
        self.assertEqual(len(status["modules-final"]["errors"]), 1, report["STATUS"])
        self.assertRegex(status["modules-final"]["errors"][0], "scripts[-_]user")

    def network_data(self, address):
        return self.write(f"net-{address}.json", json.dumps({
            "links": [{"id": "nic0", "type": "phy", "ethernet_mac_address": self.DEFAULT_MAC}],
            "networks": [{"id": "n0", "link": "nic0", "type": "ipv4", "ip_address": address,
                          "netmask": "255.255.255.0"}]}))

    def define_default(self):
        """"default" (see the module's description). Returns its UUID and its keys by name: owner and deploy on the
        drive, carol for later, hand added by its runcmd."""
        keys = {name: key_pair(self.files, name) for name in ("owner", "deploy", "carol", "hand")}
        domain_uuid = self.define("default", {"xml": lablib.loopback_nic(self.DEFAULT_MAC)}, cmdline="vcd.stay")
        user_data = self.write("ud-default", "#cloud-config\nruncmd:\n  - echo net >> /var/tmp/vcd-net\n"
                                             f"  - echo '{keys['hand']}' >> /home/{USER}/.ssh/authorized_keys\n")
        self.cli("enable", "default", "--hostname", "default-1", "--network-data", self.network_data("192.0.2.10"),
                 "--user-data", user_data, "--ssh-key", keys["owner"], "--ssh-key", keys["deploy"])
        self.cli("update", "default", "--password-stdin", stdin="default-Passw0rd-1\n")
        return domain_uuid, keys

    def assert_address(self, report, address):
        nic = re.search(r"^\d+: (\S+): .*link/ether " + self.DEFAULT_MAC, report["ADDRS"], re.M)
        self.assertIsNotNone(nic, report["ADDRS"])
        self.assertIn(f"{nic.group(1)}    inet {address}/24", report["ADDRS"])

    def assert_followed(self, report):
        """The guest follower ran at this boot and said nothing went wrong: its record is there, and cloud-init
        reported no failure of a boothook or vendor script."""
        record = json.loads(report["FOLLOWED"] or "{}")
        self.assertEqual(record.get("instance_id"), report["INSTANCE"], report["FOLLOWED"])
        self.assertEqual(record.get("refused"), [], report["FOLLOWED"])
        self.assert_cloud_init_done(report)
        return record

    def run_guests(self, life_new_instance):
        """Both guests through their lifecycles (the module's description); life's second boot, a new instance,
        when life_new_instance."""
        life_keys = self.define_life()
        default_uuid, keys = self.define_default()
        life_boot = self.in_background(lambda: self.boot("life"))
        self.lab.virsh("start", "default")
        default = self.report_after("default", 0)
        life = life_boot()

        with self.subTest("life: first boot"):
            self.assert_life_first_boot(life, life_keys)

        with self.subTest("default: first boot, the default instance id, static network data"):
            self.assert_cloud_init_done(default)
            self.assertEqual(default["INSTANCE"], default_uuid)
            self.assertEqual(default["HOSTNAME"], "default-1")
            self.assertEqual(default.files.get("vcd-net"), "net\n")
            self.assert_address(default, "192.0.2.10")
            self.assert_password(default, "default-Passw0rd-1")
            self.assertEqual(sorted(default["KEYS"].splitlines()), sorted([keys["owner"], keys["deploy"], keys["hand"]]))
            record = self.assert_followed(default)
            self.assertEqual(sorted(record.get("keys", [])), sorted([keys["owner"], keys["deploy"]]),
                             "what cloud-init gave the user at the first boot is recorded, the hand-added key not")

        with self.subTest("default: status, read through the guest agent"):
            status = self.status("default")
            self.assertEqual(status["cloud_init"]["status"], "done", status)
            self.assertIn("DataSourceConfigDrive", status["cloud_init"]["datasource"])
            self.assertEqual(status["cloud_init"]["errors"], [])
            self.assertEqual(status["instance_id"], default_uuid)
            self.assertEqual(status["hostname"], "default-1")
            self.assertEqual(status["drive"], {"applied": True, "why": None})
            guest_prints = sorted(line.split()[1] for line in default["HOSTKEYS"].splitlines() if line.strip())
            self.assertEqual(sorted(key["fingerprint"] for key in status["ssh_host_keys"]), guest_prints,
                             "the fingerprints ssh-keygen -l gives in the guest")

        with self.subTest("default: known-hosts, for its hostname and its address"):
            known = self.write("known_hosts", self.cli("known-hosts", "default").stdout)
            for host in ("default-1", "192.0.2.10"):
                found = subprocess.run(["ssh-keygen", "-F", host, "-f", known], capture_output=True, text=True)
                self.assertEqual(found.returncode, 0, f"ssh-keygen -F {host}: {found.stdout}{found.stderr}")
            listed = subprocess.run(["ssh-keygen", "-lf", known], capture_output=True, text=True, check=True)
            self.assertEqual(sorted(line.split()[1] for line in listed.stdout.splitlines()), guest_prints,
                             "the guest's own host keys")

        with self.subTest("default: a key removed and another added, hostname and password, while it runs"):
            since = self.lab.console_size("default")
            self.cli("update", "default", "--clear-ssh-keys", "--ssh-key", keys["owner"], "--ssh-key", keys["carol"],
                     "--hostname", "default-2", "--password-stdin", stdin="default-Passw0rd-2\n")
            wanted = sorted([keys["owner"], keys["carol"], keys["hand"]])

            def applied(state):
                shadow = state.shadow.split(":")
                return (state.keys == wanted and state.hostname == "default-2" and len(shadow) > 1
                        and crypt("default-Passw0rd-2", shadow[1]) == shadow[1])

            state, seconds = self.wait_for_live("default", since, applied)
            print(f"default: the new drive applied {seconds:.1f} s after update returned", file=sys.stderr)
            self.assertNotIn(keys["deploy"], state.keys, "the removed key's holder is refused")
            self.assertEqual(sorted(state.record["keys"]), sorted([keys["owner"], keys["carol"]]))
            status = self.status("default")
            self.assertEqual(status["drive"], {"applied": True, "why": None})
            self.assertEqual(status["hostname"], "default-2")

        with self.subTest("default: update --wait returns once the guest has applied the drive"):
            since = self.lab.console_size("default")
            out = self.cli("update", "default", "--hostname", "default-2b", "--wait=300").stdout
            self.assertIn("default: the guest applied the new drive", out)
            state, _ = self.wait_for_live("default", since, lambda state: state.hostname == "default-2b", timeout=5)
            self.assertEqual(state.record["hostname"], "default-2b", "the record, written after applying, says so")

        with self.subTest("default: update --wait fails after its time, naming what the guest last applied"):
            since = self.lab.console_size("default")
            late = self.lab.cli(self.settings.cli, "update", "default", "--hostname", "default-2c", "--wait=1")
            self.assertEqual(late.returncode, 1, late.stdout + late.stderr)
            self.assertEqual(late.stderr.count("\n"), 1, late.stderr)
            self.assertIn("default: --wait: the guest has not applied the new drive within 1 s: the guest last "
                          "applied another hostname", late.stderr, "the medium's change takes udev 2 s to see")
            self.wait_for_live("default", since, lambda state: state.record.get("hostname") == "default-2c")

        # Second boots. default boots again from its disk after a new hostname, password and network data; life,
        # with life_new_instance, as a new instance with a third password and new user data. default ends by an
        # orderly reboot (Ctrl-Alt-Del: systemd's ctrl-alt-del.target), not by `destroy`: after a power cut the
        # initramfs's mount of the root replays the ext4 journal, and Debian 13's kernel under TCG can block there
        # for good, before any of this project's code runs.
        self.lab.virsh("send-key", "default", "KEY_LEFTCTRL", "KEY_LEFTALT", "KEY_DELETE")
        self.lab.wait_until_shut_off("default", timeout=BOOT_TIMEOUT)
        self.cli("update", "default", "--hostname", "default-3", "--network-data", self.network_data("192.0.2.11"),
                 "--password-stdin", stdin="default-Passw0rd-3\n")
        if life_new_instance:
            enable, life_report = self.start_life_new_instance()
        since = self.lab.console_size("default")
        self.lab.virsh("start", "default")
        second = self.report_after("default", since)

        with self.subTest("default: second boot, the same instance: hostname, password, network, keys"):
            self.assertIn("the network the drive holds", second["FOLLOWLOG"], "written before the network started")
            self.assertIn("restored from checked cache", second["DATASOURCE"], "the same instance")
            self.assert_cloud_init_done(second)
            self.assertEqual(second["INSTANCE"], default_uuid)
            self.assertEqual(second["HOSTNAME"], "default-3")
            self.assert_password(second, "default-Passw0rd-3")
            self.assert_address(second, "192.0.2.11")
            self.assertNotIn("192.0.2.10", second["ADDRS"])
            self.assertEqual(sorted(second["KEYS"].splitlines()), sorted([keys["owner"], keys["carol"], keys["hand"]]))
            self.assertEqual(second.host_keys(), default.host_keys(), "the SSH host keys stay")
            self.assertEqual(second.files.get("vcd-net"), "net\n", "per-instance work is not rerun")
            self.assert_followed(second)

        with self.subTest("default: status when its guest agent refuses to read files or guest-exec, or is stopped"):
            self.assert_status_through_agent_states("default", "default-3")
        self.lab.virsh("destroy", "default")

        if life_new_instance:
            third = life_report()
            with self.subTest("life: a new instance, whose runcmd fails"):
                instance = re.search(r"<cd:instance-id>([^<]+)</cd:instance-id>",
                                     self.lab.virsh("dumpxml", "life", "--inactive").stdout).group(1)
                self.assert_cloud_init_failed_in_runcmd(third)
                self.assertEqual(third["INSTANCE"], instance)
                self.assertNotEqual(instance, "life-1")
                self.assertEqual(third.files.get("vcd-written-second"), "second user data")
                self.assertEqual(third.files.get("vcd-runcmd"), "ran-first\nran-second\n")
                self.assertNotEqual(third.host_keys(), life.host_keys(), "a new instance gets new host keys")
                self.assert_password(third, "third-Passw0rd")

            with self.subTest("life: enable --wait returned once the new instance applied its drive"):
                out, err = enable.stdout.read(), enable.stderr.read()
                self.assertEqual(enable.wait(timeout=60), 0, out + err)
                self.assertIn("life: the guest applied the drive (", out)

            with self.subTest("life: status shows cloud-init's failure"):
                status = self.status("life")
                self.assertEqual(status["cloud_init"]["status"], "error", status)
                self.assertEqual(status["instance_id"], instance)
                self.assertEqual(status["drive"], {"applied": True, "why": None})
                failures = [error for error in status["cloud_init"]["errors"] if re.search("scripts[-_]user", error)]
                self.assertEqual(len(failures), 1, status["cloud_init"]["errors"])
                self.assertTrue(failures[0].startswith("modules-final: "), failures)
                text = self.cli("status", "life").stdout
                self.assertIn("life: cloud-init error (DataSourceConfigDrive", text)
                self.assertIn("\n  error: modules-final: ", text)
            self.lab.virsh("destroy", "life")


class CloudInitGuests(CloudInitLab):
    """Both guests, life through its new instance (see the module's description)."""

    def test_guests(self):
        self.run_guests(life_new_instance=True)


class CloudInitRelease(CloudInitLab):
    """Both guests, life's first boot only: scripts/test-release, on another Debian release."""

    def test_guests(self):
        self.run_guests(life_new_instance=False)


if __name__ == "__main__":
    lablib.main("cli", "hook", "image")
