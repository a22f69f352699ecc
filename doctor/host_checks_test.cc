#include "doctor/host_checks.h"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include "tests/test_support.h"

namespace vcd {
namespace {

using std::chrono::seconds;

const FileTime kNoon = FileTime(std::chrono::hours(24 * 20000 + 12));

HookInstallation installedAt(FileTime time) {
  HookInstallation installation;
  installation.ours =
      HookEntry{"/etc/libvirt/hooks/qemu.d/virt-configdrive", "/usr/lib/libvirt/virt-configdrive-hook", true, time};
  return installation;
}

// libvirt's profile installed without the apparmor package (Debian 13 with --no-install-recommends): its
// abstractions are missing, so AppArmor cannot load it and it confines nothing. A note, not a problem.
TEST(HostChecks, AProfileWhoseAbstractionsAreMissingIsANote) {
  testing::TempDir dir;
  testing::writeText(dir / "hook", "#!/bin/sh\n");
  std::filesystem::create_directories(dir / "apparmor.d");
  testing::writeText(dir / "apparmor.d" / "usr.sbin.libvirtd",
                     "profile libvirtd /usr/sbin/libvirtd {\n  #include <abstractions/base>\n  /usr/sbin/* PUx,\n}\n");
  HookInstallation installation;
  installation.ours = HookEntry{dir / "qemu.d-link", dir / "hook", true, {}};
  CheckRow row = checkHookAllowedByAppArmor(installation, dir / "apparmor.d");
  EXPECT_EQ(row.verdict, Verdict::Note) << row.detail;
  EXPECT_NE(row.detail.find("abstractions/base, which"), std::string::npos) << row.detail;
  EXPECT_NE(row.detail.find("so it confines nothing"), std::string::npos) << row.detail;

  // The same profile with its abstraction, which does not allow the hook: a problem.
  std::filesystem::create_directories(dir / "apparmor.d" / "abstractions");
  testing::writeText(dir / "apparmor.d" / "abstractions" / "base", "  /etc/ld.so.cache r,\n");
  EXPECT_EQ(checkHookAllowedByAppArmor(installation, dir / "apparmor.d").verdict, Verdict::Problem);
}

TEST(HostChecks, LibvirtOlderThan6_5IsAProblem) {
  CheckRow row = checkLibvirtVersion(6004000);
  EXPECT_EQ(row.verdict, Verdict::Problem);
  EXPECT_NE(row.detail.find("libvirt 6.4.0"), std::string::npos) << row.detail;
  EXPECT_EQ(checkLibvirtVersion(6005000).verdict, Verdict::Ok);
  EXPECT_EQ(checkLibvirtVersion(9000000).detail, "9.0.0 (hooks from qemu.d/ since 6.5.0)");
}

TEST(HostChecks, ADaemonStartedAfterTheHookWasInstalledRunsIt) {
  DaemonProcess daemon{42, "libvirtd", kNoon};
  EXPECT_EQ(checkHookPickedUp(installedAt(kNoon - seconds(60)), daemon, std::nullopt).verdict, Verdict::Ok);
}

TEST(HostChecks, ADaemonReloadedAfterTheHookWasInstalledRunsIt) {
  DaemonProcess daemon{42, "libvirtd", kNoon - seconds(3600)};
  EXPECT_EQ(checkHookPickedUp(installedAt(kNoon - seconds(60)), daemon, kNoon).verdict, Verdict::Ok);
}

TEST(HostChecks, ADaemonThatHasNotRescannedSinceTheHookCameMustBeReloaded) {
  DaemonProcess daemon{42, "virtqemud", kNoon - seconds(3600)};
  CheckRow row = checkHookPickedUp(installedAt(kNoon), daemon, kNoon - seconds(60));
  EXPECT_EQ(row.verdict, Verdict::Problem);
  EXPECT_NE(row.detail.find("systemctl reload virtqemud"), std::string::npos) << row.detail;
}

TEST(HostChecks, ADaemonThatAlreadyRanAnotherQemuHookListsOursAtEveryCall) {
  HookInstallation installation = installedAt(kNoon);
  installation.others.push_back(
      HookEntry{"/etc/libvirt/hooks/qemu", "/etc/libvirt/hooks/qemu", true, kNoon - seconds(7200)});
  DaemonProcess daemon{42, "libvirtd", kNoon - seconds(3600)};
  EXPECT_EQ(checkHookPickedUp(installation, daemon, std::nullopt).verdict, Verdict::Ok);
}

TEST(HostChecks, NoDaemonRunningIsANote) {
  EXPECT_EQ(checkHookPickedUp(installedAt(kNoon), std::nullopt, std::nullopt).verdict, Verdict::Note);
}

TEST(HostChecks, PoolVerdicts) {
  PoolState pool{"configdrive", true, true, true, "/var/lib/libvirt/configdrive"};
  EXPECT_EQ(checkPool(pool, "/var/lib/libvirt/configdrive/").verdict, Verdict::Ok);
  EXPECT_EQ(checkPool(pool, "/srv/configdrive").verdict, Verdict::Problem);
  pool.autostart = false;
  EXPECT_EQ(checkPool(pool, "/var/lib/libvirt/configdrive").verdict, Verdict::Note);
  pool.active = false;
  EXPECT_EQ(checkPool(pool, "/var/lib/libvirt/configdrive").verdict, Verdict::Problem);
  pool.defined = false;
  EXPECT_EQ(checkPool(pool, "/var/lib/libvirt/configdrive").verdict, Verdict::Note);
}

TEST(HostChecks, SecretKeyMustBeRootsAnd0600) {
  testing::TempDir dir;
  EXPECT_EQ(checkSecretKey(dir / "secret.key").verdict, Verdict::Note);
  testing::writeText(dir / "secret.key", "0123456789abcdef0123456789abcdef");
  ::chmod((dir / "secret.key").c_str(), 0600);
  EXPECT_EQ(checkSecretKey(dir / "secret.key").verdict, Verdict::Ok);
  ::chmod((dir / "secret.key").c_str(), 0640);
  CheckRow row = checkSecretKey(dir / "secret.key");
  EXPECT_EQ(row.verdict, Verdict::Problem);
  EXPECT_NE(row.detail.find("mode 0640"), std::string::npos) << row.detail;
}

TEST(HostChecks, InvalidConfigIsAProblemNamingTheFileAndLeavesTheDefaults) {
  testing::TempDir dir;
  HostConfig config;
  EXPECT_EQ(checkHostConfig(dir / "config.json", config).verdict, Verdict::Ok);
  testing::writeText(dir / "config.json", "{\"pool\": \"other\", \"label\": 7}");
  CheckRow row = checkHostConfig(dir / "config.json", config);
  EXPECT_EQ(row.verdict, Verdict::Problem);
  EXPECT_NE(row.detail.find((dir / "config.json").string()), std::string::npos) << row.detail;
  EXPECT_EQ(config.pool, "configdrive");
}

TEST(HostChecks, TheExampleConfigThePackageShipsIsValidAndHoldsTheDefaults) {
  HostConfig config;
  CheckRow row = checkHostConfig(std::filesystem::path(VCD_SOURCE_DIR) / "packaging" / "config.json", config);
  EXPECT_EQ(row.verdict, Verdict::Ok) << row.detail;
  HostConfig defaults;
  EXPECT_EQ(config.pool, defaults.pool);
  EXPECT_EQ(config.poolPath, defaults.poolPath);
  EXPECT_EQ(config.deleteOnRelease, defaults.deleteOnRelease);
  EXPECT_EQ(config.drive.label, defaults.drive.label);
  EXPECT_EQ(config.drive.maxUserDataBytes, defaults.drive.maxUserDataBytes);
  EXPECT_EQ(config.drive.networkData, defaults.drive.networkData);
}

TEST(HostChecks, DynamicOwnershipIsOnUnlessQemuConfTurnsItOff) {
  testing::TempDir dir;
  EXPECT_TRUE(dynamicOwnership(dir / "qemu.conf"));
  testing::writeText(dir / "qemu.conf", "#dynamic_ownership = 0\nuser = \"libvirt-qemu\"\n");
  EXPECT_TRUE(dynamicOwnership(dir / "qemu.conf"));
  testing::writeText(dir / "qemu.conf", "dynamic_ownership=0   # off\n");
  EXPECT_FALSE(dynamicOwnership(dir / "qemu.conf"));
}

TEST(HostChecks, QemuRunningAsRootReadsEverything) {
  EXPECT_EQ(checkQemuCanReadDrives(QemuUser{0, 0}, "/nonexistent", false).verdict, Verdict::Ok);
}

}  // namespace
}  // namespace vcd
