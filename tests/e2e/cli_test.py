#!/usr/bin/python3
"""End to end: the operator CLI against a real libvirtd, with guests that read their drive.

Usage: cli_test.py --cli PATH/TO/virt-configdrive --hook PATH/TO/virt-configdrive-hook --guest CACHE_DIR
"""
import hashlib
import json
import os
import subprocess
import sys
import uuid as uuidlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lab as lablib  # noqa: E402

KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl alice@laptop"


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class OperatorCli(lablib.LabTest):
    @classmethod
    def setUpClass(cls):
        cls.lab, cls.files = lablib.lab_with_files(cls.settings.hook, cls.settings.guest, "vcd-cli-")

    @classmethod
    def tearDownClass(cls):
        cls.lab.close()
        subprocess.run(["rm", "-rf", cls.files], check=False)

    def cli(self, *args, stdin=None, expect=0):
        return self.run_cli(self.lab, *args, stdin=stdin, expect=expect)

    def user_data_file(self, text):
        path = os.path.join(self.files, f"user-data-{uuidlib.uuid4()}")
        with open(path, "w") as f:
            f.write(text)
        return path

    def define_plain(self, name, cmdline="", machine="pc"):
        """A domain with neither config drive nor CD-ROM, as virt-install might leave it."""
        domain_uuid = str(uuidlib.uuid4())
        self.lab.define(self.lab.domain_xml(name, domain_uuid, metadata=None, cmdline=cmdline, machine=machine,
                                            first_cdrom=False))
        return domain_uuid

    def start_holding_its_drive(self, name):
        """A guest that keeps its drive mounted (its tray locked), running; returns its UUID."""
        domain_uuid = self.define_plain(name, cmdline="vcd.hold=forever")
        self.cli("enable", name, "--user-data", self.user_data_file("held\n"))
        self.lab.virsh("start", name)
        self.lab.wait_for_console(name, "VCD-HOLDING")
        return domain_uuid

    def iso(self, domain_uuid):
        return os.path.join(self.lab.pool, f"{domain_uuid}.iso")

    def test_status_says_in_one_line_why_it_cannot_ask_the_guest(self):
        """Exit status 3 and one line: a domain that is not running, one without a guest agent channel, and one
        with the channel whose guest runs no agent (the lab's busybox guest has none)."""
        def status_fails(name, words):
            result = self.lab.cli(self.settings.cli, "status", name)
            self.assertEqual(result.returncode, 3, result.stderr)
            self.assertEqual(result.stderr.count("\n"), 1, result.stderr)
            self.assertIn(f"{name}: {words}", result.stderr)
            self.assertEqual(result.stdout, "")

        self.define_plain("channel-less-vm", cmdline="vcd.loop=2")
        status_fails("channel-less-vm", "the domain is not running")
        self.lab.virsh("start", "channel-less-vm")
        try:
            status_fails("channel-less-vm", "the domain has no guest agent channel")
        finally:
            self.lab.virsh("destroy", "channel-less-vm")
        self.start_holding_its_drive("agentless-vm")  # enable gave it the channel
        try:
            status_fails("agentless-vm", "the guest agent does not answer")
            waited = self.lab.cli(self.settings.cli, "update", "agentless-vm", "--hostname", "asked", "--force", "--wait=5")
            self.assertEqual(waited.returncode, 1, waited.stderr)
            self.assertEqual(waited.stderr.count("\n"), 1, waited.stderr)
            self.assertIn("agentless-vm: the guest agent does not answer", waited.stderr)
            self.assertIn("config drive updated", waited.stdout, "the drive is swapped before the wait")
        finally:
            self.lab.virsh("destroy", "agentless-vm")

    def test_enable_on_a_defined_domain_then_the_guest_reads_its_drive(self):
        self.define_plain("enable-vm")
        user_data = "#cloud-config\nhostname: enabled\n"
        out = self.cli("enable", "enable-vm", "--hostname", "enabled", "--ssh-key", KEY,
                       "--user-data", self.user_data_file(user_data)).stdout
        self.assertIn("enable-vm: added an empty first CD-ROM", out)
        self.assertIn("config drive enabled on CD-ROM hdd (ide)", out)
        self.assertIn("enable-vm: added a guest agent channel (org.qemu.guest_agent.0)", out)
        self.assertIn("configdrive", self.lab.virsh("pool-list", "--name").stdout.split())

        seen = self.lab.boot_and_read("enable-vm")
        # The guest above ran with the channel: libvirt added the virtio-serial controller it needs.
        defined = self.lab.virsh("dumpxml", "--inactive", "enable-vm").stdout
        self.assertRegex(defined, r"<channel type='unix'>\s*<target type='virtio' name='org.qemu.guest_agent.0'/>")
        self.assertIn("<controller type='virtio-serial'", defined)

        self.assertEqual(seen.device, "/dev/sr1")
        self.assertEqual(seen.files["openstack/latest/user_data"], user_data.encode())
        self.assertEqual(seen.files["cloudstack/metadata/local-hostname.txt"], b"enabled")
        self.assertEqual(seen.files["cloudstack/metadata/public-keys.txt"], KEY.encode())

    def test_update_reaches_a_running_guest_without_reboot_and_twice_changes_nothing(self):
        domain_uuid = self.define_plain("loop-vm", cmdline="vcd.loop=2")
        self.cli("enable", "loop-vm", "--user-data", self.user_data_file("first\n"))
        self.lab.virsh("start", "loop-vm")
        self.lab.wait_for_view("loop-vm", lambda v: v.files.get("openstack/latest/user_data") == b"first\n")
        domain_id = self.lab.virsh("domid", "loop-vm").stdout.strip()

        second = self.user_data_file("second\n")
        out = self.cli("update", "loop-vm", "--user-data", second).stdout

        self.assertIn("config drive updated; the guest sees it on hdd", out)
        self.lab.wait_for_view("loop-vm", lambda v: v.files.get("openstack/latest/user_data") == b"second\n")
        self.assertEqual(self.lab.virsh("domid", "loop-vm").stdout.strip(), domain_id, "the guest rebooted")
        inode, digest = os.stat(self.iso(domain_uuid)).st_ino, sha256(self.iso(domain_uuid))
        live_xml = self.lab.virsh("dumpxml", "loop-vm").stdout
        again = self.cli("update", "loop-vm", "--user-data", second).stdout
        self.assertIn("config drive unchanged", again)
        self.assertEqual((os.stat(self.iso(domain_uuid)).st_ino, sha256(self.iso(domain_uuid))), (inode, digest))
        self.assertEqual(self.lab.virsh("dumpxml", "loop-vm").stdout, live_xml)

        # --new-instance: the running guest reads a new instance id, the one the live definition now holds.
        self.cli("update", "loop-vm", "--new-instance")
        view = self.lab.wait_for_view(
            "loop-vm", lambda v: json.loads(v.files.get("openstack/latest/meta_data.json", b"{}")).get(
                "uuid", domain_uuid) != domain_uuid)
        new_id = json.loads(view.files["openstack/latest/meta_data.json"])["uuid"]
        self.assertIn(f"<cd:instance-id>{new_id}</cd:instance-id>", self.lab.virsh("dumpxml", "loop-vm").stdout)
        self.assertEqual(view.files["cloudstack/metadata/instance-id.txt"], new_id.encode())

        # A drive that cannot be placed once the old one is out (its placement record cannot be written): the old
        # one goes back in, and the guest keeps reading it.
        blocker = os.path.join(self.lab.state_dir, f"{domain_uuid}.placed.new")
        os.mkdir(blocker)
        self.addCleanup(lambda: os.path.isdir(blocker) and os.rmdir(blocker))
        inode = os.stat(self.iso(domain_uuid)).st_ino
        since = self.lab.console_size("loop-vm")
        failed = self.cli("update", "loop-vm", "--user-data", self.user_data_file("never placed\n"), expect=1)
        self.assertIn(f"{domain_uuid}.placed.new", failed.stderr)
        self.assertIn("; the guest has its previous drive back", failed.stderr)
        self.assertEqual(self.lab.open_iso_inodes("loop-vm"), {inode}, "the CD-ROM was left without its drive")
        self.lab.wait_for_view("loop-vm", lambda v: v.files.get("openstack/latest/user_data") == b"second\n",
                               since=since)

        # And when the previous drive cannot go back in either (qemu, not root, cannot open a file of mode 000): one
        # line that ends with the command that inserts it. The next update, or watch, finds the CD-ROM empty and
        # puts the drive back, even when it holds the bytes already placed.
        def leave_the_cdrom_empty(*command):
            mode = os.stat(self.iso(domain_uuid)).st_mode & 0o7777
            os.chmod(self.iso(domain_uuid), 0)
            try:
                failed = self.cli(*command, expect=1)
            finally:
                os.chmod(self.iso(domain_uuid), mode)
            self.assertEqual(self.lab.open_iso_inodes("loop-vm"), set(), "qemu holds a drive after all")
            return failed

        failed = leave_the_cdrom_empty("update", "loop-vm", "--user-data", self.user_data_file("never placed either\n"))
        self.assertEqual(len(failed.stderr.splitlines()), 1, failed.stderr)
        self.assertIn(f"{domain_uuid}.placed.new", failed.stderr)
        self.assertIn("putting the previous drive back failed too", failed.stderr)
        self.assertRegex(failed.stderr.strip(), r"'virsh change-media loop-vm hdd --insert \S+' succeeds, or the next "
                                                r"update or watch puts it back$")
        os.rmdir(blocker)
        since = self.lab.console_size("loop-vm")
        out = self.cli("update", "loop-vm", "--user-data", self.user_data_file("second\n")).stdout
        self.assertIn("config drive updated; the guest sees it on hdd", out, "the bytes in place, inserted again")
        self.assertEqual(self.lab.open_iso_inodes("loop-vm"), {os.stat(self.iso(domain_uuid)).st_ino})
        self.lab.wait_for_view("loop-vm", lambda v: v.files.get("openstack/latest/user_data") == b"second\n",
                               since=since)

        os.mkdir(blocker)
        self.set_metadata_with_virsh("loop-vm", "<user-data>set with virsh\n</user-data>")
        leave_the_cdrom_empty("watch", "--once")
        os.rmdir(blocker)
        since = self.lab.console_size("loop-vm")
        out = self.cli("watch", "--once").stdout
        self.assertRegex(out, r"loop-vm: config drive put back on hdd: [^;]*openstack/latest/user_data")
        self.lab.wait_for_view("loop-vm", lambda v: v.files.get("openstack/latest/user_data") == b"set with virsh\n",
                               since=since)
        self.lab.virsh("destroy", "loop-vm")

    def set_metadata_with_virsh(self, name, children):
        """What any libvirt client can do: the live cd:configdrive replaced with plain virsh, no virt-configdrive."""
        self.lab.virsh("metadata", name, lablib.CD_NAMESPACE, "--key", "cd", "--live", "--set",
                       f"<configdrive>{children}</configdrive>")

    def test_watch_once_makes_a_running_drive_follow_metadata_set_with_virsh(self):
        domain_uuid = self.define_plain("watched-vm", cmdline="vcd.loop=2")
        self.cli("enable", "watched-vm", "--user-data", self.user_data_file("before\n"))
        self.lab.virsh("start", "watched-vm")
        self.lab.wait_for_view("watched-vm", lambda v: v.files.get("openstack/latest/user_data") == b"before\n")
        domain_id = self.lab.virsh("domid", "watched-vm").stdout.strip()

        self.set_metadata_with_virsh("watched-vm", "<user-data>set with virsh\n</user-data>")
        out = self.cli("watch", "--once").stdout

        self.assertRegex(out, r"watched-vm: config drive updated on hdd: [^;]*openstack/latest/user_data[^;]*; "
                              r"\d+ bytes; \d+ ms")
        self.assertNotIn("meta_data.json", out, "only what changed is named")
        self.lab.wait_for_view("watched-vm",
                               lambda v: v.files.get("openstack/latest/user_data") == b"set with virsh\n")
        self.assertEqual(self.lab.virsh("domid", "watched-vm").stdout.strip(), domain_id, "the guest rebooted")
        inode, digest = os.stat(self.iso(domain_uuid)).st_ino, sha256(self.iso(domain_uuid))
        self.assertIn("watched-vm: config drive up to date", self.cli("watch", "--once").stdout)
        self.assertEqual((os.stat(self.iso(domain_uuid)).st_ino, sha256(self.iso(domain_uuid))), (inode, digest))

        # Metadata no drive can be built from: one line naming the domain and why; the drive in place stays.
        self.set_metadata_with_virsh("watched-vm", "<hostname>not a host name!</hostname>")
        refused = self.cli("watch", "--once", expect=1)
        self.assertEqual(refused.stderr, "virt-configdrive: watched-vm: not applied: cd:hostname: 'not a host name!' "
                                         "is not a valid host name (letters, digits, '-', '.')\n")
        self.assertEqual((os.stat(self.iso(domain_uuid)).st_ino, sha256(self.iso(domain_uuid))), (inode, digest))
        self.lab.virsh("destroy", "watched-vm")

    def test_watch_once_never_forces_a_locked_tray(self):
        domain_uuid = self.start_holding_its_drive("held-watch-vm")
        before = sha256(self.iso(domain_uuid))

        self.set_metadata_with_virsh("held-watch-vm", "<user-data>new\n</user-data>")
        refused = self.cli("watch", "--once", expect=1)

        self.assertEqual(refused.stderr.count("\n"), 1, refused.stderr)
        self.assertIn("virt-configdrive: held-watch-vm: not applied: ejecting the config drive from hdd: the guest has "
                      "the drive mounted and holds its tray locked; the previous drive stays attached", refused.stderr)
        self.assertEqual(sha256(self.iso(domain_uuid)), before)
        self.assertIn(self.iso(domain_uuid).replace(self.lab.pool, lablib.POOL_INSIDE),
                      self.lab.virsh("domblklist", "held-watch-vm").stdout, "the previous drive stays attached")
        self.lab.virsh("destroy", "held-watch-vm")

    def test_update_of_a_mounted_drive_says_so_and_force_works(self):
        domain_uuid = self.start_holding_its_drive("hold-vm")
        before = sha256(self.iso(domain_uuid))
        shown = self.cli("show", "hold-vm", "--json").stdout

        refused = self.cli("update", "hold-vm", "--user-data", self.user_data_file("new\n"), expect=1)

        self.assertEqual(refused.stderr.count("\n"), 1, refused.stderr)
        self.assertIn("virt-configdrive: hold-vm: ejecting the config drive from hdd: the guest has the drive "
                      "mounted", refused.stderr)
        self.assertIn("unmount it in the guest, or use --force", refused.stderr)
        self.assertEqual(sha256(self.iso(domain_uuid)), before)
        self.assertEqual(self.cli("show", "hold-vm", "--json").stdout, shown, "a refused update changed data")

        forced = self.cli("update", "hold-vm", "--user-data", self.user_data_file("new\n"), "--force")

        self.assertIn("config drive updated", forced.stdout)
        self.assertNotEqual(sha256(self.iso(domain_uuid)), before)
        self.assertIn(f"{domain_uuid}.iso", self.lab.virsh("domblklist", "hold-vm").stdout)
        self.lab.virsh("destroy", "hold-vm")

    def console_text(self, name):
        with open(self.lab.console_path(name), errors="replace") as f:
            return f.read()

    def test_a_drive_mounted_only_briefly_is_swapped_without_force(self):
        domain_uuid = self.define_plain("brief-vm", cmdline="vcd.hold=3")
        self.cli("enable", "brief-vm", "--user-data", self.user_data_file("brief\n"))
        self.lab.virsh("start", "brief-vm")
        self.lab.wait_for_console("brief-vm", "VCD-HOLDING")
        held = "VCD-RELEASED" not in self.console_text("brief-vm")

        out = self.cli("update", "brief-vm", "--user-data", self.user_data_file("after\n")).stdout

        self.assertTrue(held, "the guest had released its drive before the update began: no overlap to show")
        self.assertIn("VCD-RELEASED", self.console_text("brief-vm"), "the update ended before the guest's unmount")
        self.assertIn("config drive updated", out)
        # What the guest reads after its release: the new drive, the file qemu now holds.
        self.assertEqual(self.lab.open_iso_inodes("brief-vm"), {os.stat(self.iso(domain_uuid)).st_ino})
        with open(self.iso(domain_uuid), "rb") as f:
            self.assertIn(b"after\n", f.read())
        self.lab.virsh("destroy", "brief-vm")

    def test_a_full_pool_during_update_leaves_the_running_guest_its_drive(self):
        """The pool a 2 MiB tmpfs (root's, 0755, as the pool must be), filled once the guest runs: update fails in one
        line that says so, and the guest reads its previous drive again."""
        pool = lablib.POOL_INSIDE
        mounted = self.lab.in_namespace("mount", "-t", "tmpfs", "-o", "size=2m,mode=0755", "vcd-full", pool)
        self.assertEqual(mounted.returncode, 0, mounted.stderr)
        self.addCleanup(self.lab.in_namespace, "umount", pool)
        self.define_plain("full-vm", cmdline="vcd.loop=2")
        self.cli("enable", "full-vm", "--user-data", self.user_data_file("before\n"))
        self.lab.virsh("start", "full-vm")
        self.addCleanup(self.lab.virsh, "destroy", "full-vm", check=False)
        self.lab.wait_for_view("full-vm", lambda v: v.files.get("openstack/latest/user_data") == b"before\n")
        filled = self.lab.in_namespace("sh", "-c", f"dd if=/dev/zero of={pool}/filler bs=64k 2>&1; "
                                                   f"test -s {pool}/filler")
        self.assertEqual(filled.returncode, 0, filled.stdout + filled.stderr)
        self.addCleanup(self.lab.in_namespace, "rm", "-f", f"{pool}/filler")

        since = self.lab.console_size("full-vm")
        failed = self.lab.cli(self.settings.cli, "update", "full-vm", "--user-data", self.user_data_file("after\n" * 512))

        self.assertEqual(failed.returncode, 1, failed.stdout + failed.stderr)
        self.assertEqual(failed.stderr.count("\n"), 1, failed.stderr)
        self.assertIn("full-vm: ", failed.stderr)
        self.assertIn("No space left on device", failed.stderr)
        self.assertIn("the guest has its previous drive back", failed.stderr)
        self.lab.wait_for_view("full-vm", lambda v: v.files.get("openstack/latest/user_data") == b"before\n",
                               since=since)

    def test_no_reattach_places_the_drive_and_prints_the_virsh_pair(self):
        domain_uuid = self.define_plain("manual-vm", cmdline="vcd.loop=2")
        self.cli("enable", "manual-vm", "--user-data", self.user_data_file("one\n"))
        self.lab.virsh("start", "manual-vm")
        self.lab.wait_for_view("manual-vm", lambda v: v.files.get("openstack/latest/user_data") == b"one\n")

        out = self.cli("update", "manual-vm", "--user-data", self.user_data_file("two\n"), "--no-reattach").stdout

        iso_inside = f"{lablib.POOL_INSIDE}/{domain_uuid}.iso"
        self.assertIn("virsh change-media manual-vm hdd --eject\n", out)
        self.assertIn(f"virsh change-media manual-vm hdd --insert {iso_inside}\n", out)
        self.lab.virsh("change-media", "manual-vm", "hdd", "--eject")
        self.lab.virsh("change-media", "manual-vm", "hdd", "--insert", iso_inside)
        self.lab.wait_for_view("manual-vm", lambda v: v.files.get("openstack/latest/user_data") == b"two\n")
        self.lab.virsh("destroy", "manual-vm")

    def test_q35_domain_gets_a_sata_drive_the_guest_reads(self):
        self.define_plain("q35-vm", machine="q35")
        out = self.cli("enable", "q35-vm", "--hostname", "sata").stdout
        self.assertIn("config drive enabled on CD-ROM sdb (sata)", out)

        seen = self.lab.boot_and_read("q35-vm")

        self.assertTrue(seen.found)
        self.assertEqual(seen.files["cloudstack/metadata/local-hostname.txt"], b"sata")

    def test_bus_scsi_puts_the_drive_on_virtio_scsi_where_the_guest_reads_it(self):
        self.define_plain("scsi-vm", machine="q35")
        out = self.cli("enable", "scsi-vm", "--hostname", "scsi", "--bus", "scsi").stdout
        self.assertIn("config drive enabled on CD-ROM sdb (scsi)", out)
        self.assertIn("<controller type='scsi' index='0' model='virtio-scsi'>",
                      self.lab.virsh("dumpxml", "--inactive", "scsi-vm").stdout)

        seen = self.lab.boot_and_read("scsi-vm")

        self.assertEqual(seen.files["cloudstack/metadata/local-hostname.txt"], b"scsi")
        self.assertRegex(seen.hctl, r"^\d+:0:0:1$", "not unit 1 of a SCSI controller (sdb)")

    def clear_text_in_processes(self, clear):
        """The pids whose command line or environment holds `clear`."""
        found = []
        for pid in filter(str.isdigit, os.listdir("/proc")):
            for name in ("cmdline", "environ"):
                try:
                    with open(f"/proc/{pid}/{name}", "rb") as f:
                        if clear.encode() in f.read():
                            found.append(f"{pid} ({name})")
                except OSError:
                    pass
        return found

    def test_password_reaches_the_guest_and_never_the_xml_in_clear(self):
        clear = "Tr0ub4dor&3"
        self.define_plain("pw-vm")
        # No process shows the password in its command line or environment, before the CLI reads it or after: every
        # execve of the CLI and of any child it starts is traced with its whole argv and environment, and /proc is
        # read until the CLI exits.
        trace = os.path.join(self.lab.dir, "pw-vm-execve.trace")
        enable = subprocess.Popen([lablib.LAB, "exec", self.lab.dir, "strace", "-f", "-qq", "-v", "-s", "65536", "-e",
                                   "trace=execve", "-o", trace, self.settings.cli, "-c", self.lab.uri, "enable", "pw-vm",
                                   "--password-cleartext", "yes", "--password-stdin"], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        enable.stdin.write(clear.encode())
        enable.stdin.flush()
        readers = self.clear_text_in_processes(clear)
        enable.stdin.write(b"\n")
        enable.stdin.close()
        while enable.poll() is None:
            readers += self.clear_text_in_processes(clear)
        out, err = enable.stdout.read(), enable.stderr.read()
        with open(trace, errors="replace") as f:
            executed = f.read()
        self.assertIn(f'execve("{self.settings.cli}"', executed, "the trace holds the CLI's own execve")
        self.assertNotIn(clear, executed, "an execve's argv or environment")
        self.assertEqual(enable.returncode, 0, err)
        self.assertEqual(readers, [])
        self.assertNotIn(clear.encode(), out + err)
        for flags in ([], ["--inactive"]):
            self.assertNotIn("Tr0ub4dor", self.lab.virsh("-r", "dumpxml", "pw-vm", *flags).stdout)
        self.assertIn("<cd:password sealed=\"v2\">", self.lab.virsh("dumpxml", "pw-vm").stdout)

        since = self.lab.console_size("pw-vm")
        self.lab.virsh("start", "pw-vm")
        # Where libvirtd keeps domains: the persistent definition, and the live one while it runs.
        stored = [os.path.join(self.lab.dir, "etc", "qemu", "pw-vm.xml"), os.path.join(self.lab.dir, "run", "qemu",
                                                                                     "pw-vm.xml")]
        with open(stored[1]) as f:
            live = f.read()
        self.lab.wait_until_shut_off("pw-vm")
        seen = self.lab.views("pw-vm", since)[-1]
        with open(stored[0]) as f:
            persistent = f.read()
        with open(os.path.join(self.lab.dir, "libvirtd.log"), errors="replace") as f:
            daemon_log = f.read()
        for where, text in (("run/qemu", live), ("etc/qemu", persistent)):
            self.assertIn('sealed="v2"', text, where)
        for where, text in (("run/qemu", live), ("etc/qemu", persistent), ("libvirtd.log", daemon_log)):
            self.assertNotIn(clear, text, where)

        self.assertEqual(seen.files["cloudstack/password/vm_password.txt"], clear.encode())
        secret = os.path.join(self.lab.dir, "etc-vcd", "secret.key")
        self.assertEqual(os.stat(secret).st_mode & 0o777, 0o600)

    def other_tool_iso(self, label):
        """An ISO another tool made (genisoimage, as CloudStack does), with OpenStack's metadata and this label."""
        tree = os.path.join(self.files, f"tree-{label}")
        os.makedirs(os.path.join(tree, "openstack", "latest"), exist_ok=True)
        with open(os.path.join(tree, "openstack", "latest", "meta_data.json"), "w") as f:
            f.write('{"uuid": "other-tool"}')
        iso = os.path.join(self.files, f"other-{label}.iso")
        subprocess.run(["genisoimage", "-quiet", "-r", "-J", "-V", label, "-o", iso, tree], check=True)
        return iso

    def define_with_first_cdrom(self, name, source, metadata=None, second=None, cmdline=""):
        """A domain whose first CD-ROM (hdc) holds source; with metadata and second, a config drive on hdd."""
        domain_uuid = str(uuidlib.uuid4())
        xml = self.lab.domain_xml(name, domain_uuid, metadata=metadata, cmdline=cmdline,
                                  cdrom_source=second(domain_uuid) if second else None)
        self.lab.define(xml.replace("<target dev='hdc'", f"<source file='{source(domain_uuid)}'/><target dev='hdc'", 1))
        return domain_uuid

    def test_another_cloud_init_drive_beside_ours_is_a_warning(self):
        """Another tool's config-2 or cidata ISO in the first CD-ROM: enable and update say so in one line each and
        go on; an installer's ISO there is no warning. Two CD-ROMs naming <uuid>.iso: update says which is built.
        update of a running domain builds its drive once, so that each warning comes once."""
        expected = {
            "config-2": "another config drive (label config-2): cloud-init reads one of the two, chosen by their "
                        "device names",
            "cidata": "a NoCloud drive (label cidata): cloud-init reads one of the two, chosen by its datasource_list",
            "Debian 12": None,
        }
        for label, words in expected.items():
            name = "beside-" + label.replace(" ", "-").lower() + "-vm"
            other = self.other_tool_iso(label)
            self.define_with_first_cdrom(name, lambda _: other)
            warning = f"virt-configdrive: {name}: warning: CD-ROM hdc holds {other}, {words}\n" if words else ""
            enabled = self.cli("enable", name, "--hostname", "beside")
            self.assertEqual(enabled.stderr, warning)
            self.assertIn(f"{name}: config drive enabled on CD-ROM hdd (ide)", enabled.stdout)
            self.assertEqual(self.cli("update", name, "--hostname", "still").stderr, warning)

        stale = os.path.join(self.files, "old-pool")
        twin = self.define_with_first_cdrom("twin-vm", lambda u: os.path.join(stale, f"{u}.iso"), metadata="",
                                            second=self.iso)
        updated = self.cli("update", "twin-vm", "--hostname", "twin")
        self.assertEqual(updated.stderr, f"virt-configdrive: twin-vm: warning: CD-ROM hdd names {self.iso(twin)} as "
                                         f"well: the guest sees two config drives, and only hdc's is built "
                                         f"({stale}/{twin}.iso)\n")

        other = self.other_tool_iso("config-2")
        self.define_with_first_cdrom("beside-running-vm", lambda _: other, cmdline="vcd.loop=2")
        ignored = self.user_data_file('{"other": "no cloud-init key"}')
        self.cli("enable", "beside-running-vm", "--vendor-data", ignored)
        self.lab.virsh("start", "beside-running-vm")
        try:
            updated = self.cli("update", "beside-running-vm", "--hostname", "running")
        finally:
            self.lab.virsh("destroy", "beside-running-vm")
        self.assertIn("config drive updated", updated.stdout)
        prefix = "virt-configdrive: beside-running-vm: warning: "
        self.assertEqual(updated.stderr.splitlines(), [
            f"{prefix}CD-ROM hdc holds {other}, {expected['config-2']}",
            f'{prefix}cd:vendor-data: has no "cloud-init" key; cloud-init ignores it'])

    def test_disable_removes_cdrom_metadata_and_iso(self):
        # With delete_on_release off the drive outlives the stop, and disable is what removes it.
        config = os.path.join(self.lab.dir, "etc-vcd", "config.json")
        with open(config, "w") as f:
            f.write('{"delete_on_release": false}')
        self.addCleanup(os.remove, config)
        domain_uuid = self.define_plain("gone-vm")
        self.cli("enable", "gone-vm", "--hostname", "gone")
        self.lab.boot_and_read("gone-vm")
        self.assertTrue(os.path.exists(self.iso(domain_uuid)))

        self.cli("disable", "gone-vm")

        xml = self.lab.virsh("dumpxml", "gone-vm", "--inactive").stdout
        self.assertNotIn(lablib.CD_NAMESPACE, xml)
        self.assertNotIn(f"{domain_uuid}.iso", xml)
        self.assertFalse(os.path.exists(self.iso(domain_uuid)))

    def test_bad_input_is_one_line_and_changes_nothing(self):
        self.define_plain("bad-vm")
        self.cli("enable", "bad-vm", "--hostname", "bad")
        xml = self.lab.virsh("dumpxml", "bad-vm", "--inactive").stdout

        unknown = self.cli("update", "no-such-vm", "--hostname", "x", expect=1)
        conflict = self.cli("update", "bad-vm", "--user-data", "x", "--clear-user-data", expect=2)
        unreadable = self.cli("update", "bad-vm", "--user-data", "/nonexistent/user-data", expect=1)
        empty = self.cli("update", "bad-vm", "--password-stdin", stdin="", expect=1)

        self.assertEqual(unknown.stderr, "virt-configdrive: no-such-vm: no such domain\n")
        self.assertIn("--user-data and --clear-user-data contradict each other", conflict.stderr)
        self.assertIn("/nonexistent/user-data: cannot open: No such file or directory", unreadable.stderr)
        self.assertEqual(empty.stderr, "virt-configdrive: --password-stdin: stdin held no password\n")
        for result in (unknown, conflict, unreadable, empty):
            self.assertEqual(result.stderr.count("\n"), 1, result.stderr)
        self.assertEqual(self.lab.virsh("dumpxml", "bad-vm", "--inactive").stdout, xml)


if __name__ == "__main__":
    lablib.main("cli", "hook", "guest")
