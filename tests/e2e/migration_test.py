#!/usr/bin/python3
"""End to end: the drive follows the VM between two real libvirt hosts, through save/restore and restarts.

Usage: migration_test.py --cli CLI --hook HOOK --guest CACHE_DIR
Each guest re-mounts its drive every 2 s and prints it, so every step shows what the running guest reads.
"""
import os
import shutil
import sys
import uuid as uuidlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lab as lablib  # noqa: E402

USER_DATA = "#cloud-config\n# follows the VM\n"


class DriveFollowsTheVm(lablib.LabTest):
    def setUp(self):
        self.kernel, self.initrd = lablib.guest_image(self.settings.guest)
        self.shared = lablib.files_dir("vcd-shared-")
        self.labs = []

    def tearDown(self):
        for lab in self.labs:
            lab.close()
        shutil.rmtree(self.shared, ignore_errors=True)

    def host(self, **options):
        lab = lablib.Lab(self.settings.hook, self.kernel, self.initrd, console_dir=self.shared, **options)
        self.labs.append(lab)
        return lab

    def start_guest(self, lab, name):
        domain_uuid = str(uuidlib.uuid4())
        metadata = f"<cd:user-data>{USER_DATA}</cd:user-data>"
        lab.define(lab.domain_xml(name, domain_uuid, metadata, f"{lablib.POOL_INSIDE}/{domain_uuid}.iso",
                                  cmdline="vcd.loop=2"))
        lab.virsh("start", name)
        self.assert_guest_reads(lab, name, since=0)
        return domain_uuid

    def assert_guest_reads(self, lab, name, since):
        lab.wait_for_view(name, lambda v: v.files.get("openstack/latest/user_data") == USER_DATA.encode(),
                          since=since)

    def migrate(self, source, destination, name, *flags, check=True):
        return source.virsh("migrate", "--live", name, destination.uri, "--migrateuri",
                            f"tcp://127.0.0.1:{lablib.free_port()}", *flags, check=check)

    def assert_qemu_reads(self, lab, name, iso):
        self.assertTrue(os.path.exists(iso), f"{iso} missing")
        self.assertEqual(lab.open_iso_inodes(name), {os.stat(iso).st_ino}, "qemu does not read the file placed")

    def test_local_pools_at_the_same_path_there_and_back(self):
        a, b = self.host(), self.host()
        domain_uuid = self.start_guest(a, "mig-vm")
        a_iso, b_iso = (os.path.join(h.pool, f"{domain_uuid}.iso") for h in (a, b))
        self.assert_qemu_reads(a, "mig-vm", a_iso)

        self.migrate(a, b, "mig-vm")
        # Both hosts write the one console file: only what follows the migration is the destination's reading.
        since = b.console_size("mig-vm")

        self.assertEqual(b.virsh("domstate", "mig-vm").stdout.strip(), "running")
        self.assert_qemu_reads(b, "mig-vm", b_iso)
        self.assertFalse(os.path.exists(a_iso), "the source's release left its drive")
        self.assert_guest_reads(b, "mig-vm", since)

        self.migrate(b, a, "mig-vm")
        since = a.console_size("mig-vm")

        self.assert_qemu_reads(a, "mig-vm", a_iso)
        self.assertFalse(os.path.exists(b_iso))
        self.assert_guest_reads(a, "mig-vm", since)

    def test_local_pools_at_different_paths_rewrite_only_the_cdrom_source(self):
        a, b = self.host(), self.host(config={"pool_path": "/var/lib/libvirt/cd-b"})
        domain_uuid = self.start_guest(a, "path-vm")
        before = a.virsh("dumpxml", "--migratable", "path-vm").stdout

        self.migrate(a, b, "path-vm")
        since = b.console_size("path-vm")

        b_inside = f"/var/lib/libvirt/cd-b/{domain_uuid}.iso"
        after = b.virsh("dumpxml", "--migratable", "path-vm").stdout
        self.assertEqual(after, before.replace(f"{lablib.POOL_INSIDE}/{domain_uuid}.iso", b_inside))
        self.assert_qemu_reads(b, "path-vm", os.path.join(b.dir, "lib", "cd-b", f"{domain_uuid}.iso"))
        self.assert_guest_reads(b, "path-vm", since)

    def test_persistent_migration_to_another_pool_path_says_how_to_fix_the_next_start(self):
        a, b = self.host(), self.host(config={"pool_path": "/var/lib/libvirt/cd-b"})
        domain_uuid = self.start_guest(a, "pers-vm")

        self.migrate(a, b, "pers-vm", "--persistent", "--undefinesource")
        b.virsh("destroy", "pers-vm")
        refused = b.virsh("start", "pers-vm", check=False)

        self.assertNotEqual(refused.returncode, 0)
        self.assertIn(f"virt-configdrive: pers-vm: placing the config drive: CD-ROM hdd names "
                      f"{lablib.POOL_INSIDE}/{domain_uuid}.iso, but this host places it at "
                      f"/var/lib/libvirt/cd-b/{domain_uuid}.iso; run 'virt-configdrive enable pers-vm' on this "
                      f"host to point it there", refused.stderr)
        fixed = b.cli(self.settings.cli, "enable", "pers-vm")
        self.assertEqual(fixed.returncode, 0, fixed.stderr)
        since = b.console_size("pers-vm")
        b.virsh("start", "pers-vm")
        self.assert_guest_reads(b, "pers-vm", since)

    def test_shared_pool_keeps_the_destinations_drive_until_it_stops(self):
        a, b = self.host(shared_pool=self.shared), self.host(shared_pool=self.shared)
        domain_uuid = self.start_guest(a, "shared-vm")
        iso = os.path.join(self.shared, f"{domain_uuid}.iso")
        source_inode = os.stat(iso).st_ino

        self.migrate(a, b, "shared-vm")

        self.assert_qemu_reads(b, "shared-vm", iso)
        self.assertNotEqual(os.stat(iso).st_ino, source_inode, "the destination did not place a fresh drive")
        self.assertEqual(a.virsh("domstate", "shared-vm").stdout.strip(), "shut off")
        b.virsh("destroy", "shared-vm")
        self.assertFalse(os.path.exists(iso), "the destination's release left its drive")

    def test_migration_failing_at_the_destination_leaves_the_vm_on_the_source(self):
        a, b = self.host(), self.host()
        domain_uuid = self.start_guest(a, "fail-vm")
        a_iso = os.path.join(a.pool, f"{domain_uuid}.iso")
        inode = os.stat(a_iso).st_ino
        readonly = b.in_namespace("sh", "-c", f"mount --bind {lablib.POOL_INSIDE} {lablib.POOL_INSIDE} && "
                                              f"mount -o remount,ro,bind {lablib.POOL_INSIDE}")
        self.assertEqual(readonly.returncode, 0, readonly.stderr)
        since = a.console_size("fail-vm")

        failed = self.migrate(a, b, "fail-vm", check=False)

        self.assertNotEqual(failed.returncode, 0)
        self.assertIn("virt-configdrive: fail-vm:", failed.stderr)
        self.assertIn("Read-only file system", failed.stderr)
        self.assertEqual(a.virsh("domstate", "fail-vm").stdout.strip(), "running")
        self.assertEqual(os.stat(a_iso).st_ino, inode)
        self.assert_qemu_reads(a, "fail-vm", a_iso)
        self.assert_guest_reads(a, "fail-vm", since)
        self.assertNotIn("fail-vm", b.virsh("list", "--all", "--name").stdout.split())
        self.assertEqual(os.listdir(b.pool), [])
        staging = os.path.join(b.dir, "lib", ".virt-configdrive")
        self.assertEqual([f for f in os.listdir(staging) if "staging" in f] if os.path.exists(staging) else [], [])

    def test_save_and_restore_rebuild_the_drive(self):
        a = self.host()
        domain_uuid = self.start_guest(a, "save-vm")
        iso = os.path.join(a.pool, f"{domain_uuid}.iso")
        image = os.path.join(a.dir, "save-vm.save")

        a.virsh("save", "save-vm", image)
        self.assertFalse(os.path.exists(iso), "release after save left the drive")
        since = a.console_size("save-vm")
        a.virsh("restore", image)
        self.assert_qemu_reads(a, "save-vm", iso)
        self.assert_guest_reads(a, "save-vm", since)

        a.virsh("managedsave", "save-vm")
        self.assertFalse(os.path.exists(iso), "release after managedsave left the drive")
        since = a.console_size("save-vm")
        a.virsh("start", "save-vm")
        self.assert_qemu_reads(a, "save-vm", iso)
        self.assert_guest_reads(a, "save-vm", since)

    def test_restarting_libvirtd_never_harms_the_running_vm(self):
        a = self.host()
        domain_uuid = self.start_guest(a, "keep-vm")
        iso = os.path.join(a.pool, f"{domain_uuid}.iso")
        pid, inode = a.qemu_pid("keep-vm"), os.stat(iso).st_ino

        a.restart_daemon()

        self.assertEqual(a.virsh("domstate", "keep-vm").stdout.strip(), "running")
        self.assertEqual(a.qemu_pid("keep-vm"), pid)
        self.assertEqual(os.stat(iso).st_ino, inode)
        self.assert_guest_reads(a, "keep-vm", a.console_size("keep-vm"))


if __name__ == "__main__":
    lablib.main("cli", "hook", "guest")
