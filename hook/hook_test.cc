#include "hook/hook.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <sstream>

#include "host/hook_scan.h"
#include "host/host_secret.h"
#include "host/process_name.h"
#include "iso/iso_reader.h"
#include "tests/test_support.h"
#include "util/file_io.h"

namespace vcd {
namespace {

using testing::domainXml;
using testing::kTestUuid;

class RecordingLog : public ActionLog {
 public:
  void info(const std::string& line) override { lines.push_back("info: " + line); }
  void warning(const std::string& line) override { lines.push_back("warning: " + line); }
  std::vector<std::string> lines;
};

// A host whose config, pool and libvirt storage dir live in a temporary directory.
class HookTest : public ::testing::Test {
 protected:
  HookTest() {
    paths_.configFile = dir_ / "config.json";
    paths_.secretFile = dir_ / "secret.key";
    paths_.storageDir = dir_ / "storage";
    paths_.runtimeDir = dir_ / "run";
    paths_.stateDir = dir_ / "state";
    std::filesystem::create_directories(paths_.storageDir);
    testing::writeText(paths_.configFile, "{\"pool_path\": \"" + pool().string() + "\"}");
  }

  std::filesystem::path pool() const { return dir_ / "pool"; }
  std::filesystem::path isoPath() const { return pool() / (std::string(kTestUuid) + ".iso"); }

  int run(const std::string& operation, const std::string& subOperation, const std::string& xml, bool privileged = true,
          HookDriver driver = HookDriver::Qemu) {
    std::istringstream in(xml);
    HookContext context{paths_, privileged, ::getpid(), log_, out_, err_};
    return runHook({"web1", operation, subOperation, driver}, in, context);
  }
  int prepare(const std::string& xml) { return run("prepare", "begin", xml); }

  testing::TempDir dir_;
  HostPaths paths_;
  RecordingLog log_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(HookTest, PreparePlacesTheDriveTheCdromNames) {
  EXPECT_EQ(prepare(domainXml("<cd:hostname>h1</cd:hostname>", isoPath())), 0) << err_.str();
  IsoContents iso = readIso(isoPath());
  EXPECT_EQ(iso.label, "config-2");
  EXPECT_EQ(iso.files.at("/cloudstack/metadata/local-hostname.txt").data, "h1");
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str(), "");
  ASSERT_EQ(log_.lines.size(), 1u);
  EXPECT_EQ(log_.lines[0], "info: web1: placed config drive " + isoPath().string());
}

TEST_F(HookTest, PrepareLeavesIdenticalIsoUntouched) {
  std::string xml = domainXml("", isoPath());
  ASSERT_EQ(prepare(xml), 0);
  struct stat before {};
  ASSERT_EQ(::stat(isoPath().c_str(), &before), 0);
  ASSERT_EQ(prepare(xml), 0);
  struct stat after {};
  ASSERT_EQ(::stat(isoPath().c_str(), &after), 0);
  EXPECT_EQ(after.st_ino, before.st_ino) << "the same file, not a new one renamed over it";
  EXPECT_EQ(after.st_dev, before.st_dev);
  EXPECT_EQ(after.st_mtim.tv_sec, before.st_mtim.tv_sec);
  EXPECT_EQ(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec);
  EXPECT_EQ(log_.lines.back(), "info: web1: config drive unchanged at " + isoPath().string());
}

TEST_F(HookTest, DomainWithoutConfigDriveTouchesNothing) {
  std::filesystem::remove(paths_.configFile);
  EXPECT_EQ(prepare(domainXml("", isoPath(), false)), 0);
  EXPECT_FALSE(std::filesystem::exists(pool()));
  EXPECT_FALSE(std::filesystem::exists(dir_ / ".virt-configdrive"));
  EXPECT_FALSE(std::filesystem::exists(paths_.stateDir));
  EXPECT_EQ(out_.str() + err_.str(), "");
  EXPECT_TRUE(log_.lines.empty());
}

TEST_F(HookTest, DomainWithoutConfigDriveIsNotBlockedByABrokenHostConfig) {
  testing::writeText(paths_.configFile, "{\"bogus\": 1}");
  EXPECT_EQ(prepare(domainXml("", "", false)), 0);
  EXPECT_EQ(err_.str(), "");
}

TEST_F(HookTest, CdromOutsideThePoolFailsNamingBothPaths) {
  EXPECT_EQ(prepare(domainXml("", std::string("/etc/") + kTestUuid + ".iso")), 1);
  EXPECT_EQ(err_.str(), "virt-configdrive: web1: placing the config drive: CD-ROM hdd names /etc/" +
                            std::string(kTestUuid) + ".iso, but this host places it at " + isoPath().string() +
                            "; run 'virt-configdrive enable web1' on this host to point it there\n");
  EXPECT_FALSE(std::filesystem::exists(pool()));
  EXPECT_FALSE(std::filesystem::exists(std::string("/etc/") + kTestUuid + ".iso"));
}

TEST_F(HookTest, DotDotInTheCdromPathCannotEscapeThePool) {
  std::string sneaky = (pool() / "../elsewhere" / (std::string(kTestUuid) + ".iso")).string();
  EXPECT_EQ(prepare(domainXml("", sneaky)), 1);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "elsewhere"));
}

TEST_F(HookTest, MalformedXmlOfAConfigDriveDomainFailsWithOneLine) {
  EXPECT_EQ(prepare("<domain><name>web1</name><metadata><cd:configdrive xmlns:cd='urn:virt-configdrive:metadata:1'"),
            1);
  std::string err = err_.str();
  EXPECT_EQ(err.rfind("virt-configdrive: web1: domain XML is malformed at byte ", 0), 0u) << err;
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1);
}

// Whatever the XML, a domain that names no cd:configdrive is not this tool's business: never a failed start.
TEST_F(HookTest, XmlWithoutTheConfigDriveNamespaceIsNeverJudged) {
  for (const char* xml : {"<domain><name>web1</name", "<domain><name>no-uuid</name></domain>", "", "\xff\xfe"}) {
    EXPECT_EQ(prepare(xml), 0) << xml;
  }
  EXPECT_EQ(err_.str(), "");
  EXPECT_FALSE(std::filesystem::exists(pool()));
}

TEST_F(HookTest, MultiLineValuesInAnErrorStayOnOneLine) {
  testing::writeText(paths_.configFile, R"({"pool_path": "/tmp/two\nlines"})");
  EXPECT_EQ(prepare(domainXml("", isoPath())), 1);
  std::string err = err_.str();
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
}

TEST_F(HookTest, InvalidBase64FailsNamingTheElementAndPlacesNothing) {
  EXPECT_EQ(prepare(domainXml("<cd:user-data encoding='base64'>%%%</cd:user-data>", isoPath())), 1);
  EXPECT_EQ(err_.str(), "virt-configdrive: web1: cd:user-data: is not valid base64\n");
  EXPECT_FALSE(std::filesystem::exists(isoPath()));
}

TEST_F(HookTest, OversizeUserDataFailsAndKeepsThePreviousDrive) {
  ASSERT_EQ(prepare(domainXml("<cd:user-data>small</cd:user-data>", isoPath())), 0);
  std::string before = readFile(isoPath());
  testing::writeText(paths_.configFile, "{\"pool_path\": \"" + pool().string() + "\", \"max_user_data_bytes\": 8}");
  EXPECT_EQ(prepare(domainXml("<cd:user-data>much too large</cd:user-data>", isoPath())), 1);
  EXPECT_EQ(err_.str(), "virt-configdrive: web1: cd:user-data: 14 bytes, more than max_user_data_bytes (8)\n");
  EXPECT_EQ(readFile(isoPath()), before);
}

TEST_F(HookTest, UnknownHostConfigKeyFailsNamingFileAndKey) {
  testing::writeText(paths_.configFile, "{\"labl\": \"x\"}");
  EXPECT_EQ(prepare(domainXml("", isoPath())), 1);
  EXPECT_EQ(err_.str(), "virt-configdrive: web1: " + paths_.configFile.string() + ": unknown key \"labl\"\n");
}

TEST_F(HookTest, PoolPathComesFromTheLibvirtPoolDefinition) {
  std::filesystem::path other = dir_ / "libvirt-pool";
  testing::writeText(paths_.storageDir / "configdrive.xml", "<pool type='dir'><name>configdrive</name><target><path>" +
                                                                other.string() + "</path></target></pool>");
  std::filesystem::path iso = other / (std::string(kTestUuid) + ".iso");
  EXPECT_EQ(prepare(domainXml("", iso)), 0) << err_.str();
  EXPECT_TRUE(std::filesystem::exists(iso));
  EXPECT_EQ(prepare(domainXml("", isoPath())), 1);
}

TEST_F(HookTest, ConfiguredLabelIsTheVolumeId) {
  testing::writeText(paths_.configFile, "{\"pool_path\": \"" + pool().string() + "\", \"label\": \"CONFIG-2\"}");
  ASSERT_EQ(prepare(domainXml("", isoPath())), 0);
  EXPECT_EQ(readIso(isoPath()).label, "CONFIG-2");
}

TEST_F(HookTest, SealedPasswordThisHostCannotOpenWarnsAndStillPlaces) {
  EXPECT_EQ(prepare(domainXml("<cd:password sealed='v1'>AAAA</cd:password>", isoPath())), 0);
  EXPECT_NE(err_.str().find("warning: the password is sealed, but this host has no "), std::string::npos) << err_.str();
  EXPECT_EQ(readIso(isoPath()).files.count("/cloudstack/password/vm_password.txt"), 0u);
}

TEST_F(HookTest, SealedPasswordOpensOntoAWindowsDrive) {
  std::string sealed = HostSecret::loadOrCreate(paths_.secretFile).sealPassword(kTestUuid, "pw443").text;
  ASSERT_EQ(
      prepare(domainXml("<cd:os>windows</cd:os><cd:password sealed='v2'>" + sealed + "</cd:password>", isoPath())), 0)
      << err_.str();
  IsoContents iso = readIso(isoPath());
  EXPECT_EQ(iso.files.at("/cloudstack/password/vm_password.txt").data, "pw443");
  EXPECT_EQ(iso.files.at("/cloudstack/password/vm-password-md5checksum.txt").data, "fe1006c8ce47a15e096f1e3de66");
  EXPECT_EQ(nlohmann::json::parse(iso.files.at("/openstack/latest/meta_data.json").data)["admin_pass"], "pw443");
  EXPECT_EQ(err_.str(), "");
}

// The clear text reaches the drive and nothing else the hook writes: stdout, stderr, its log lines (syslog's).
TEST_F(HookTest, SealedPasswordReachesTheDriveAndNoLineInClear) {
  const std::string clear = "Clear-Text-Pw-9f3";
  std::string sealed = HostSecret::loadOrCreate(paths_.secretFile).sealPassword(kTestUuid, clear).text;
  for (const char* operation : {"prepare", "migrate"}) {
    SCOPED_TRACE(operation);
    ASSERT_EQ(run(operation, "begin",
                  domainXml("<cd:password-cleartext>yes</cd:password-cleartext><cd:password sealed='v2'>" + sealed +
                                "</cd:password>",
                            isoPath())),
              0)
        << err_.str();
    EXPECT_EQ(readIso(isoPath()).files.at("/cloudstack/password/vm_password.txt").data, clear);
    EXPECT_EQ(out_.str().find(clear), std::string::npos);
    EXPECT_EQ(err_.str().find(clear), std::string::npos);
    ASSERT_FALSE(log_.lines.empty());
    for (const std::string& line : log_.lines) EXPECT_EQ(line.find(clear), std::string::npos) << line;
  }
}

TEST_F(HookTest, PasswordSealedWithAnotherHostsKeyWarnsAndStartsWithout) {
  testing::TempDir other;
  std::string sealed = HostSecret::loadOrCreate(other / "secret.key").sealPassword(kTestUuid, "pw").text;
  HostSecret::loadOrCreate(paths_.secretFile);
  EXPECT_EQ(prepare(domainXml("<cd:password sealed='v2'>" + sealed + "</cd:password>", isoPath())), 0);
  EXPECT_NE(err_.str().find("warning: the sealed password does not open with " + paths_.secretFile.string()),
            std::string::npos)
      << err_.str();
  EXPECT_EQ(readIso(isoPath()).files.count("/cloudstack/password/vm_password.txt"), 0u);
}

TEST_F(HookTest, VendorDataCloudInitIgnoresIsAWarningNotAFailure) {
  EXPECT_EQ(prepare(domainXml("<cd:vendor-data>{\"x\": 1}</cd:vendor-data>", isoPath())), 0);
  EXPECT_EQ(err_.str(),
            "virt-configdrive: web1: warning: cd:vendor-data: has no \"cloud-init\" key; cloud-init "
            "ignores it\n");
  EXPECT_TRUE(std::filesystem::exists(isoPath()));
}

TEST_F(HookTest, NetworkDataThatGivesNoNicAnAddressIsAWarningNeverABlockedStart) {
  std::string networkData = R"({"links": [{"id": "l0", "type": "phy", "ethernet_mac_address": "fa:16:3e:00:00:09"}],
                               "networks": [{"id": "n0", "link": "l0", "type": "ipv4_dhcp"}]})";
  EXPECT_EQ(prepare(domainXml("<cd:network-data>" + networkData + "</cd:network-data>", isoPath())), 0);
  const std::string warning =
      "cd:network-data: the guest would boot without network: none of its networks is on a "
      "link with one of the domain's MACs (52:54:00:12:34:56)";
  EXPECT_EQ(err_.str(), "virt-configdrive: web1: warning: " + warning + "\n");
  EXPECT_NE(std::find(log_.lines.begin(), log_.lines.end(), "warning: web1: " + warning), log_.lines.end());
  EXPECT_TRUE(readIso(isoPath()).files.count("/openstack/latest/network_data.json"));
}

TEST_F(HookTest, NoNetworkDataMeansNoNetworkDataJson) {
  EXPECT_EQ(prepare(domainXml("", isoPath())), 0);
  EXPECT_FALSE(readIso(isoPath()).files.count("/openstack/latest/network_data.json"));
  EXPECT_EQ(err_.str(), "");
}

TEST_F(HookTest, MetadataWithoutItsCdromBuildsNothing) {
  EXPECT_EQ(prepare(domainXml("", "")), 0);
  EXPECT_FALSE(std::filesystem::exists(pool()));
  EXPECT_EQ(err_.str(), "");
}

TEST_F(HookTest, OtherOperationsExitAtOnceWithoutReadingTheXml) {
  for (auto [op, sub] : {std::pair{"reconnect", "begin"},
                         {"start", "begin"},
                         {"started", "begin"},
                         {"stopped", "end"},
                         {"release", "begin"},
                         {"migrate", "end"},
                         {"prepare", "end"}}) {
    EXPECT_EQ(run(op, sub, "this is not XML"), 0) << op << " " << sub;
  }
  EXPECT_EQ(out_.str() + err_.str(), "");
}

TEST_F(HookTest, MigrateBeginWithTheSamePoolPathPlacesAFreshDriveAndPrintsNothing) {
  std::string xml = domainXml("<cd:hostname>h</cd:hostname>", isoPath());
  ASSERT_EQ(prepare(xml), 0);
  struct stat st {};
  ::stat(isoPath().c_str(), &st);
  ino_t inode = st.st_ino;
  EXPECT_EQ(run("migrate", "begin", xml), 0) << err_.str();
  ::stat(isoPath().c_str(), &st);
  EXPECT_NE(st.st_ino, inode) << "an identical drive must still be placed afresh";
  EXPECT_EQ(out_.str(), "");
}

TEST_F(HookTest, MigrateBeginWithAnotherPoolPathRewritesOnlyTheSource) {
  std::string incoming = "/srv/elsewhere/" + std::string(kTestUuid) + ".iso";
  std::string xml = domainXml("<cd:hostname>h</cd:hostname>", incoming);
  EXPECT_EQ(run("migrate", "begin", xml), 0) << err_.str();
  std::string expected = xml;
  expected.replace(expected.find(incoming), incoming.size(), isoPath().string());
  EXPECT_EQ(out_.str(), expected);
  EXPECT_EQ(readIso(isoPath()).files.at("/cloudstack/metadata/local-hostname.txt").data, "h");
  EXPECT_FALSE(std::filesystem::exists("/srv/elsewhere"));
}

TEST_F(HookTest, RestoreBeginPlacesLikeMigrateBegin) {
  std::string incoming = "/old/pool/" + std::string(kTestUuid) + ".iso";
  EXPECT_EQ(run("restore", "begin", domainXml("", incoming)), 0) << err_.str();
  EXPECT_TRUE(std::filesystem::exists(isoPath()));
  EXPECT_NE(out_.str().find(isoPath().string()), std::string::npos);
}

TEST_F(HookTest, MigrateBeginThatFailsPrintsNoXml) {
  EXPECT_EQ(run("migrate", "begin",
                domainXml("<cd:user-data encoding='base64'>*</cd:user-data>", "/x/" + std::string(kTestUuid) + ".iso")),
            1);
  EXPECT_EQ(out_.str(), "");
  EXPECT_FALSE(std::filesystem::exists(isoPath()));
}

TEST_F(HookTest, MigrateBeginOfADomainWithoutConfigDriveDoesNothing) {
  EXPECT_EQ(run("migrate", "begin", domainXml("", "", false)), 0);
  EXPECT_EQ(out_.str() + err_.str(), "");
  EXPECT_FALSE(std::filesystem::exists(pool()));
}

TEST_F(HookTest, ReleaseEndRemovesTheDrivePlacedHere) {
  std::string xml = domainXml("", isoPath());
  ASSERT_EQ(prepare(xml), 0);
  EXPECT_EQ(run("release", "end", xml), 0) << err_.str();
  EXPECT_FALSE(std::filesystem::exists(isoPath()));
  EXPECT_EQ(log_.lines.back(), "info: web1: removed config drive " + isoPath().string());
}

TEST_F(HookTest, ReleaseEndKeepsTheDriveWhenDeleteOnReleaseIsOff) {
  testing::writeText(paths_.configFile, "{\"pool_path\": \"" + pool().string() + "\", \"delete_on_release\": false}");
  std::string xml = domainXml("", isoPath());
  ASSERT_EQ(prepare(xml), 0);
  EXPECT_EQ(run("release", "end", xml), 0);
  EXPECT_TRUE(std::filesystem::exists(isoPath()));
}

TEST_F(HookTest, ReleaseEndLeavesADriveAnotherHostPlacedSince) {
  std::string xml = domainXml("", isoPath());
  ASSERT_EQ(prepare(xml), 0);
  testing::writeText(dir_ / "theirs.iso", "the destination's drive");
  std::filesystem::rename(dir_ / "theirs.iso", isoPath());
  EXPECT_EQ(run("release", "end", xml), 0);
  EXPECT_EQ(readFile(isoPath()), "the destination's drive");
}

TEST_F(HookTest, ReleaseEndOfADomainWithoutConfigDriveTouchesNothing) {
  std::filesystem::create_directories(pool());
  testing::writeText(isoPath(), "not ours");
  EXPECT_EQ(run("release", "end", domainXml("", isoPath(), false)), 0);
  EXPECT_TRUE(std::filesystem::exists(isoPath()));
  EXPECT_TRUE(log_.lines.empty());
}

TEST_F(HookTest, UnprivilegedLibvirtdGetsNothingDone) {
  EXPECT_EQ(run("prepare", "begin", domainXml("", isoPath()), false), 0);
  EXPECT_FALSE(std::filesystem::exists(pool()));
}

TEST_F(HookTest, NetworkDataNestedAMillionDeepFailsEveryOperationWithOneLine) {
  std::string deep = std::string(1000000, '[') + std::string(1000000, ']');
  std::string xml = domainXml("<cd:network-data>{\"links\": " + deep + "}</cd:network-data>", isoPath());
  for (const char* operation : {"prepare", "release"}) {
    err_.str("");
    EXPECT_EQ(run(operation, operation == std::string("prepare") ? "begin" : "end", xml), 1);
    EXPECT_EQ(err_.str(), "virt-configdrive: web1: cd:network-data: nests deeper than 64 levels\n");
  }
  EXPECT_FALSE(std::filesystem::exists(isoPath()));
}

TEST_F(HookTest, ADomainNameCannotForgeOrColourALine) {
  std::string xml = domainXml("<cd:vendor-data>{\"x\": 1}</cd:vendor-data>", isoPath());
  std::istringstream in(xml);
  HookContext context{paths_, true, ::getpid(), log_, out_, err_};
  EXPECT_EQ(runHook({"evil\nvirt-configdrive: forged\x1b[31m", "prepare", "begin"}, in, context), 0);
  // The warning names the domain of the XML (web1); an error names the argument libvirt passed.
  std::istringstream broken("<domain><name>x</name><uuid>" + std::string(kTestUuid) +
                            "</uuid><metadata>"
                            "<cd:configdrive xmlns:cd='urn:virt-configdrive:metadata:1'><cd:user-data encoding="
                            "'base64'>!</cd:user-data></cd:configdrive></metadata></domain>");
  err_.str("");
  EXPECT_EQ(runHook({"evil\nvirt-configdrive: forged\x1b[31m" + std::string(1 << 20, 'x'), "prepare", "begin"}, broken,
                    context),
            1);
  std::string err = err_.str();
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err.substr(0, 200);
  EXPECT_EQ(err.rfind("virt-configdrive: evil virt-configdrive: forged\\x1b[31mxxx", 0), 0u) << err.substr(0, 200);
  EXPECT_LT(err.size(), 1100u);
}

TEST_F(HookTest, AWarningCarriesNoControlCharacters) {
  std::string name = "web\x1b]0;pwned\x07";
  std::string xml = "<domain><name>" + name + "</name><uuid>" + std::string(kTestUuid) +
                    "</uuid><metadata><cd:configdrive xmlns:cd='urn:virt-configdrive:metadata:1'>"
                    "<cd:vendor-data>{\"x\": 1}</cd:vendor-data></cd:configdrive></metadata><devices><disk "
                    "type='file' device='cdrom'><source file='" +
                    isoPath().string() + "'/><target dev='hdd' bus='ide'/></disk></devices></domain>";
  EXPECT_EQ(prepare(xml), 0);
  EXPECT_EQ(err_.str(),
            "virt-configdrive: web\\x1b]0;pwned\\x07: warning: cd:vendor-data: has no \"cloud-init\" key; "
            "cloud-init ignores it\n");
}

TEST(HookDriver, FollowsTheHookDirectoryLibvirtRanItFrom) {
  EXPECT_EQ(hookDriverFor("/etc/libvirt/hooks/daemon.d/virt-configdrive"), HookDriver::Daemon);
  EXPECT_EQ(hookDriverFor("/etc/libvirt/hooks/daemon"), HookDriver::Daemon);
  EXPECT_EQ(hookDriverFor("/etc/libvirt/hooks/qemu.d/virt-configdrive"), HookDriver::Qemu);
  EXPECT_EQ(hookDriverFor("/usr/lib/libvirt/virt-configdrive-hook"), HookDriver::Qemu);
  EXPECT_EQ(hookDriverFor("virt-configdrive-hook"), HookDriver::Qemu);
}

TEST_F(HookTest, DaemonStartAndReloadRecordTheDaemonsHookRescan) {
  std::string self = processName("/proc", ::getpid());
  EXPECT_FALSE(lastHookScan(paths_.runtimeDir, self, ::getpid()));
  EXPECT_EQ(run("start", "-", "", true, HookDriver::Daemon), 0);
  std::optional<FileTime> started = lastHookScan(paths_.runtimeDir, self, ::getpid());
  ASSERT_TRUE(started);
  // The start's record made a second old, so that a reload that records nothing is seen.
  const timespec old[2] = {{1, 0}, {1, 0}};
  for (const auto& entry : std::filesystem::directory_iterator(paths_.runtimeDir)) {
    ASSERT_EQ(::utimensat(AT_FDCWD, entry.path().c_str(), old, 0), 0) << entry.path();
  }
  std::optional<FileTime> aged = lastHookScan(paths_.runtimeDir, self, ::getpid());
  ASSERT_TRUE(aged);
  ASSERT_LT(*aged, *started);
  EXPECT_EQ(run("reload", "begin", "", true, HookDriver::Daemon), 0);
  std::optional<FileTime> reloaded = lastHookScan(paths_.runtimeDir, self, ::getpid());
  ASSERT_TRUE(reloaded);
  EXPECT_GT(*reloaded, *aged) << "the reload recorded the daemon's rescan";
  EXPECT_FALSE(lastHookScan(paths_.runtimeDir, self, ::getpid() + 1)) << "a record names the daemon's pid";
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str(), "");
}

TEST_F(HookTest, DaemonShutdownRecordsNothing) {
  EXPECT_EQ(run("shutdown", "-", "", true, HookDriver::Daemon), 0);
  EXPECT_FALSE(std::filesystem::exists(paths_.runtimeDir));
}

TEST_F(HookTest, DaemonHookThatCannotRecordWarnsAndNeverFailsTheDaemon) {
  testing::writeText(dir_ / "not-a-dir", "");
  paths_.runtimeDir = dir_ / "not-a-dir" / "run";
  EXPECT_EQ(run("start", "-", "", true, HookDriver::Daemon), 0);
  std::string err = err_.str();
  EXPECT_EQ(err.rfind("virt-configdrive: warning: recording the daemon's hook rescan: ", 0), 0u) << err;
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1);
}

}  // namespace
}  // namespace vcd
