#!/usr/bin/python3
"""End to end: `virt-configdrive doctor` on a lab host, healthy and then broken one way at a time.

Each test breaks one thing for real on the lab host (its files, its pool, its daemon's hook list), checks that
doctor names it as a problem and exits 1, and mends it again. A libvirt too old for qemu.d/ cannot be made here;
its verdict is unit-tested (HostChecks.LibvirtOlderThan6_5IsAProblem).

Usage: doctor_test.py --cli PATH/TO/virt-configdrive --hook PATH/TO/virt-configdrive-hook --guest CACHE_DIR
"""
import os
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lab as lablib  # noqa: E402

HOOK_PATH = "/usr/lib/libvirt/virt-configdrive-hook"


class Doctor(lablib.LabTest):
    @classmethod
    def setUpClass(cls):
        kernel, initrd = lablib.guest_image(cls.settings.guest)
        cls.lab = lablib.Lab(cls.settings.hook, kernel, initrd)
        for command in (["pool-define-as", "configdrive", "dir", "--target", lablib.POOL_INSIDE],
                        ["pool-start", "configdrive"], ["pool-autostart", "configdrive"]):
            cls.lab.virsh(*command)

    @classmethod
    def tearDownClass(cls):
        cls.lab.close()

    def setUp(self):
        rows, status = self.doctor()
        self.assertEqual(status, 0, f"the host is not healthy before the test: {rows}")

    def doctor(self):
        result = self.lab.cli(self.settings.cli, "doctor")
        return lablib.doctor_rows(result.stdout), result.returncode

    def assert_problem(self, check, *words):
        rows, status = self.doctor()
        self.assertEqual(status, 1, rows)
        verdict, detail = rows[check]
        self.assertEqual(verdict, "problem", f"{check}: {detail}")
        for word in words:
            self.assertIn(word, detail)
        others = [name for name, (verdict, _) in rows.items() if verdict == "problem" and name != check]
        self.assertEqual(others, [], f"other rows turned problems too: {rows}")

    def host_path(self, *parts):
        return os.path.join(self.lab.dir, *parts)

    def reload_daemon(self):
        """SIGHUP, as `systemctl reload libvirtd` sends; waits until the daemon hook has recorded the rescan."""
        record = self.host_path("run-vcd", "hooks-scanned.libvirtd")
        before = os.stat(record).st_mtime_ns if os.path.exists(record) else 0
        os.kill(self.lab.daemon_pid, signal.SIGHUP)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if os.path.exists(record) and os.stat(record).st_mtime_ns != before:
                return
            time.sleep(0.1)
        raise AssertionError(f"the daemon hook recorded no rescan in {record} within 20 s of SIGHUP")

    def test_a_healthy_host_passes(self):
        rows, status = self.doctor()
        self.assertEqual(status, 0)
        expected = ["hook installed", "hook allowed by AppArmor", "libvirt version", "hook picked up", "pool",
                    "config.json", "secret.key", "room in pool", "qemu can read drives"]
        self.assertEqual(list(rows), expected)
        for check in expected:
            self.assertIn(rows[check][0], ("ok", "note"), f"{check}: {rows[check]}")
        self.assertEqual(rows["hook picked up"][0], "ok")
        self.assertIn("libvirt-qemu", rows["qemu can read drives"][1])

    def test_a_missing_hook(self):
        link = self.host_path("etc", "hooks", "qemu.d", "virt-configdrive")
        os.remove(link)
        try:
            self.assert_problem("hook installed", "/etc/libvirt/hooks/qemu.d/virt-configdrive is missing")
        finally:
            os.symlink(HOOK_PATH, link)
            self.reload_daemon()

    def test_a_hook_that_is_not_executable(self):
        binary = self.host_path("overlay", "usr", "lib", "libvirt", "virt-configdrive-hook")
        os.chmod(binary, 0o644)
        try:
            self.assert_problem("hook installed", "not an executable file")
        finally:
            os.chmod(binary, 0o755)

    def test_a_hook_apparmor_would_not_let_libvirtd_run(self):
        old = "/usr/libexec/virt-configdrive/qemu-hook"
        self.lab.in_namespace("install", "-D", "-m", "755", HOOK_PATH, old)
        link = self.host_path("etc", "hooks", "qemu.d", "virt-configdrive")
        os.remove(link)
        os.symlink(old, link)
        self.reload_daemon()
        try:
            self.assert_problem("hook allowed by AppArmor", "/etc/apparmor.d/usr.sbin.libvirtd does not let the "
                                "daemon execute " + old, "every VM start on this host would fail")
        finally:
            os.remove(link)
            os.symlink(HOOK_PATH, link)
            self.reload_daemon()

    def test_a_daemon_that_has_not_picked_the_hook_up(self):
        link = self.host_path("etc", "hooks", "qemu.d", "virt-configdrive")
        os.remove(link)
        # It rescans and finds no qemu hook; the daemon hook, still there, records when the rescan happened.
        self.reload_daemon()
        os.symlink(HOOK_PATH, link)
        try:
            self.assert_problem("hook picked up", "before the hook was installed", "systemctl reload libvirtd")
        finally:
            self.reload_daemon()
        rows, status = self.doctor()
        self.assertEqual((status, rows["hook picked up"][0]), (0, "ok"), "a reload is what fixes it")

    def test_an_inactive_pool(self):
        self.lab.virsh("pool-destroy", "configdrive")
        try:
            self.assert_problem("pool", "not active", "virsh pool-start configdrive")
        finally:
            self.lab.virsh("pool-start", "configdrive")

    def test_a_pool_elsewhere_than_the_hook_places_drives(self):
        os.makedirs(self.host_path("elsewhere"), exist_ok=True)
        self.lab.virsh("pool-create-as", "elsewhere", "dir", "--target", self.host_path("elsewhere"))
        config = self.host_path("etc-vcd", "config.json")
        with open(config, "w") as f:
            f.write('{"pool": "elsewhere"}')
        try:
            self.assert_problem("pool", "is at " + self.host_path("elsewhere"),
                                "the hook places drives at /var/lib/libvirt/configdrive")
        finally:
            os.remove(config)
            self.lab.virsh("pool-destroy", "elsewhere")

    def test_an_invalid_config_json(self):
        config = self.host_path("etc-vcd", "config.json")
        with open(config, "w") as f:
            f.write('{"network_data": "static"}')
        try:
            self.assert_problem("config.json", "/etc/virt-configdrive/config.json", '"network_data"')
        finally:
            os.remove(config)

    def test_a_secret_key_others_can_read(self):
        secret = self.host_path("etc-vcd", "secret.key")
        with open(secret, "wb") as f:
            f.write(os.urandom(32))
        os.chmod(secret, 0o644)
        try:
            self.assert_problem("secret.key", "mode 0644", "chmod 0600")
            os.chmod(secret, 0o600)
            os.chown(secret, 1000, 1000)
            self.assert_problem("secret.key", "owned by uid 1000", "chown root:root")
        finally:
            os.remove(secret)

    def test_a_full_pool_filesystem(self):
        result = self.lab.in_namespace("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", lablib.POOL_INSIDE)
        self.assertEqual(result.returncode, 0, result.stderr)
        try:
            self.assert_problem("room in pool", "MiB free, less than a drive may take")
        finally:
            self.lab.in_namespace("umount", lablib.POOL_INSIDE)

    def test_a_pool_qemus_user_cannot_reach(self):
        lib = self.host_path("lib")  # /var/lib/libvirt inside the host
        os.chmod(lib, 0o700)
        try:
            self.assert_problem("qemu can read drives", "cannot search /var/lib/libvirt", "chmod o+x /var/lib/libvirt")
        finally:
            os.chmod(lib, 0o755)

    def test_libvirt_not_handing_drives_to_qemu(self):
        qemu_conf = self.host_path("etc", "qemu.conf")
        with open(qemu_conf, "w") as f:
            f.write("# set by the test\ndynamic_ownership = 0\n")
        try:
            self.assert_problem("qemu can read drives", "dynamic_ownership = 0")
        finally:
            open(qemu_conf, "w").close()


if __name__ == "__main__":
    lablib.main("cli", "hook", "guest")
