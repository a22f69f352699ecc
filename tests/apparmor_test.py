#!/usr/bin/python3
"""The hook is installed where the libvirt daemon's AppArmor profile lets it execute the hook, and not where it was
(/usr/libexec/virt-configdrive/). Read with Debian's python3-apparmor, from the profiles installed on this machine
(usr.sbin.libvirtd from libvirt-daemon-system; usr.sbin.virtqemud where the release ships one).

Usage: apparmor_test.py BUILD_DIR
"""
import inspect
import os
import subprocess
import sys
import tempfile
import unittest

import apparmor.aa as aa
from apparmor.profile_storage import ProfileStorage
from apparmor.aare import AARE

PROFILE_DIR = "/etc/apparmor.d"
PROFILES = ["usr.sbin.libvirtd", "usr.sbin.virtqemud"]
OLD_HOOK_PATH = "/usr/libexec/virt-configdrive/qemu-hook"
BUILD = None


def profile_rules(path, daemon_profile=False, seen=None):
    """Every file rule of the profile in path (its own and its includes'), as apparmor's own parser reads them.
    daemon_profile: path holds the daemon's profile, whose rules count (not its child profiles'); else path is an
    include, read as the body of a profile."""
    seen = seen if seen is not None else set()
    if path in seen:
        return []
    seen.add(path)
    with open(path) as f:
        lines = f.readlines()
    if not daemon_profile:
        lines = ["profile included {\n"] + lines + ["}\n"]
    # python3-apparmor 4 (Debian 13) also asks whether the text starts in a file's preamble: a whole profile file does.
    preamble = ("in_preamble" in inspect.signature(aa.parse_profile_data).parameters) and (True,) or ()
    parsed = aa.parse_profile_data(lines, path, False, *preamble)
    name, profiles = next(iter(parsed.items()))
    # 3.x: {name: {name: the profile, hats…}}; 4.x: {name: the profile}.
    profile = profiles if isinstance(profiles, ProfileStorage) else profiles[name]
    rules = list(profile["file"].rules)
    for include in profile["inc_ie"].rules:
        for included in include.get_full_paths(PROFILE_DIR):
            if os.path.isfile(included):
                rules += profile_rules(included, False, seen)
    return rules


def may_execute(rules, path):
    """What AppArmor decides for exec of path: an allow rule with x matches it, and no deny rule with x does."""
    matching = [rule for rule in rules if rule.exec_perms and AARE(rule.path.regex, True).match(path)]
    return any(not rule.deny for rule in matching) and not any(rule.deny for rule in matching)


def installed_profiles():
    return [(name, profile_rules(os.path.join(PROFILE_DIR, name), True))
            for name in PROFILES if os.path.exists(os.path.join(PROFILE_DIR, name))]


class HookUnderAppArmor(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        aa.init_aa()
        cls.profiles = installed_profiles()
        cls.root = tempfile.mkdtemp(prefix="vcd-install-")
        subprocess.run(["cmake", "--install", BUILD, "--prefix", "/usr"], env={**os.environ, "DESTDIR": cls.root},
                       check=True, capture_output=True)

    @classmethod
    def tearDownClass(cls):
        subprocess.run(["rm", "-rf", cls.root], check=False)

    def resolved(self, link):
        """What a link in the installed tree resolves to, as the running system would see it."""
        target = os.readlink(self.root + link)
        self.assertTrue(os.path.isabs(target), target)
        return target

    def test_debians_libvirtd_profile_is_read(self):
        self.assertIn("usr.sbin.libvirtd", [name for name, _ in self.profiles])
        for name, rules in self.profiles:
            self.assertTrue(any(rule.exec_perms for rule in rules), f"{name}: no exec rule read")

    def test_the_installed_hook_resolves_to_an_executable_the_daemon_may_run(self):
        for link in ["/etc/libvirt/hooks/qemu.d/virt-configdrive", "/etc/libvirt/hooks/daemon.d/virt-configdrive"]:
            target = self.resolved(link)
            self.assertTrue(os.access(self.root + target, os.X_OK), f"{target} is not installed executable")
            for name, rules in self.profiles:
                self.assertTrue(may_execute(rules, target), f"{name} denies exec of {target} (from {link})")

    def test_the_old_libexec_path_would_be_denied(self):
        for name, rules in self.profiles:
            self.assertFalse(may_execute(rules, OLD_HOOK_PATH), f"{name} allows {OLD_HOOK_PATH}")

    def test_deny_rules_are_honoured(self):
        for name, rules in self.profiles:
            self.assertFalse(may_execute(rules, "/usr/sbin/apparmor_parser"), name)


if __name__ == "__main__":
    BUILD = os.path.abspath(sys.argv.pop(1))
    unittest.main()
