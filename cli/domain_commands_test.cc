// enable, update (stopped domains), show and disable against libvirt's own test driver (test:///default): the
// real libvirt API without qemu. Running domains are the end-to-end tests' business (tests/e2e).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sstream>

#include "cli/command_line.h"
#include "cli/command_reference.h"
#include "cli/commands.h"
#include "domain/domain_definition.h"
#include "host/host_secret.h"
#include "tests/test_support.h"
#include "util/error.h"
#include "virt/libvirt_session.h"

namespace vcd {
namespace {

using testing::TempDir;

class DomainCommandsTest : public ::testing::Test {
 protected:
  DomainCommandsTest() : libvirt_("test:///default") {
    paths_.configFile = dir_ / "config.json";
    paths_.secretFile = dir_ / "secret.key";
    paths_.storageDir = dir_ / "storage";
    paths_.stateDir = dir_ / "state";
    pool_ = (dir_ / "pool").string();
    testing::writeText(paths_.configFile, "{\"pool\": \"" + poolName() + "\", \"pool_path\": \"" + pool_ + "\"}");
    name_ = std::string(::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::string xml = "<domain type='test'><name>" + name_ +
                      "</name><memory>65536</memory>"
                      "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices/></domain>";
    DomainHandle defined(virDomainDefineXML(libvirt_.get(), xml.c_str()));
    EXPECT_TRUE(defined) << libvirtMessage();
    uuid_ = parseDomainXml(inactiveXml()).uuid;
  }

  // One pool per test: the test driver's state lives as long as the process.
  std::string poolName() const { return "cd-" + std::to_string(reinterpret_cast<std::uintptr_t>(this)); }

  // The command whose row names this function, run as main runs it: its arguments parsed by its row.
  int run(CommandFunction command, std::vector<std::string> args, const std::string& stdinText = "") {
    in_.clear();
    in_.str(stdinText);
    out_.str("");
    CommandContext context{paths_, "test:///default", in_, out_, err_, log_};
    for (const CommandReference& reference : commandReferences()) {
      if (reference.run == command) return runCommand(reference, args, context);
    }
    ADD_FAILURE() << "no command runs that function";
    return -1;
  }

  std::string inactiveXml() { return domainXml(libvirt_.lookupDomain(name_).get(), VIR_DOMAIN_XML_INACTIVE); }
  DomainDefinition definition() { return parseDomainXml(inactiveXml()); }
  std::string isoPath() const { return pool_ + "/" + uuid_ + ".iso"; }

  struct RecordingLog : ActionLog {
    void info(const std::string&) override {}
    void warning(const std::string& line) override { warnings.push_back(line); }
    std::vector<std::string> warnings;
  };

  TempDir dir_;
  HostPaths paths_;
  LibvirtSession libvirt_;
  std::string pool_;
  std::string name_;
  std::string uuid_;
  std::istringstream in_;
  std::ostringstream out_;
  std::ostringstream err_;
  RecordingLog log_;
};

TEST_F(DomainCommandsTest, EnableWritesMetadataAndTheSecondCdrom) {
  ASSERT_EQ(run(runEnable, {name_, "--hostname", "web7", "--ssh-key", "ssh-ed25519 AAAA me@desk"}), 0);
  DomainDefinition d = definition();
  ASSERT_TRUE(d.configDrive);
  EXPECT_EQ(d.configDrive->hostname, "web7");
  EXPECT_EQ(d.configDrive->publicKeys, (std::vector<PublicKey>{{"me@desk", "ssh-ed25519 AAAA me@desk"}}));
  ASSERT_EQ(d.cdroms.size(), 2u);
  EXPECT_EQ(d.cdroms[0].sourceFile, "");
  EXPECT_EQ(d.cdroms[1].target, "hdd");
  EXPECT_EQ(d.cdroms[1].sourceFile, isoPath());
  EXPECT_NE(out_.str().find("config drive enabled on CD-ROM hdd (ide)"), std::string::npos) << out_.str();
}

TEST_F(DomainCommandsTest, EnableOnTheBusAskedForMovesAnEnabledDrive) {
  ASSERT_EQ(run(runEnable, {name_}), 0);
  ASSERT_EQ(run(runEnable, {name_, "--bus", "scsi"}), 0);
  DomainDefinition d = definition();
  ASSERT_EQ(d.cdroms.size(), 2u);
  EXPECT_EQ(d.cdroms[1].bus, "scsi");
  EXPECT_EQ(d.cdroms[1].sourceFile, isoPath());
  EXPECT_NE(inactiveXml().find("model='virtio-scsi'"), std::string::npos) << inactiveXml();
  EXPECT_NE(out_.str().find("config drive enabled on CD-ROM sda (scsi)"), std::string::npos) << out_.str();
}

TEST_F(DomainCommandsTest, EnableTakesOnlyTheBusesItKnows) {
  try {
    run(runEnable, {name_, "--bus", "virtio"});
    FAIL() << "--bus virtio accepted";
  } catch (const UsageError& error) {
    EXPECT_STREQ(error.what(), "--bus takes ide, sata or scsi, not 'virtio'");
  }
  EXPECT_FALSE(definition().configDrive);
}

TEST_F(DomainCommandsTest, EnableGivesAStoppedDomainOneGuestAgentChannelAndShowSaysSo) {
  ASSERT_EQ(run(runShow, {name_, "--json"}), 0);
  EXPECT_EQ(nlohmann::json::parse(out_.str())["guest_agent_channel"], false);
  ASSERT_EQ(run(runEnable, {name_}), 0);
  EXPECT_NE(out_.str().find(": added a guest agent channel (org.qemu.guest_agent.0)"), std::string::npos) << out_.str();
  EXPECT_TRUE(definition().guestAgentChannel);
  ASSERT_EQ(run(runEnable, {name_, "--hostname", "again"}), 0);
  EXPECT_EQ(out_.str().find("guest agent"), std::string::npos) << "said once: " << out_.str();
  std::string xml = inactiveXml();
  EXPECT_EQ(xml.find("org.qemu.guest_agent.0"), xml.rfind("org.qemu.guest_agent.0")) << "one channel: " << xml;
  ASSERT_EQ(run(runShow, {name_}), 0);
  EXPECT_NE(out_.str().find("  guest agent channel: yes (org.qemu.guest_agent.0)\n"), std::string::npos) << out_.str();
}

TEST_F(DomainCommandsTest, EnableCreatesAndStartsThePool) {
  ASSERT_EQ(run(runEnable, {name_}), 0);
  PoolHandle pool(virStoragePoolLookupByName(libvirt_.get(), poolName().c_str()));
  ASSERT_TRUE(pool);
  EXPECT_EQ(virStoragePoolIsActive(pool.get()), 1);
}

TEST_F(DomainCommandsTest, EnableTwiceKeepsOneDriveAndMergesData) {
  ASSERT_EQ(run(runEnable, {name_, "--hostname", "a"}), 0);
  ASSERT_EQ(run(runEnable, {name_, "--availability-zone", "z"}), 0);
  DomainDefinition d = definition();
  EXPECT_EQ(d.cdroms.size(), 2u);
  EXPECT_EQ(d.configDrive->hostname, "a");
  EXPECT_EQ(d.configDrive->availabilityZone, "z");
}

TEST_F(DomainCommandsTest, PasswordIsSealedNeverInClear) {
  ASSERT_EQ(run(runEnable, {name_, "--password-stdin"}, "correct-horse\n"), 0);
  std::string xml = inactiveXml();
  EXPECT_EQ(xml.find("correct-horse"), std::string::npos);
  DomainDefinition d = definition();
  ASSERT_TRUE(d.configDrive->sealedPassword);
  EXPECT_EQ(HostSecret::loadIfPresent(paths_.secretFile)->openPassword(uuid_, *d.configDrive->sealedPassword)->password,
            "correct-horse");
}

TEST_F(DomainCommandsTest, SettingTheSamePasswordAgainSealsANewSalt) {
  ASSERT_EQ(run(runEnable, {name_, "--password-stdin"}, "pw"), 0);
  SealedPassword before = *definition().configDrive->sealedPassword;
  ASSERT_EQ(run(runUpdate, {name_, "--password-stdin"}, "pw\n"), 0);
  SealedPassword after = *definition().configDrive->sealedPassword;
  EXPECT_NE(after, before);
  std::optional<HostSecret> secret = HostSecret::loadIfPresent(paths_.secretFile);
  EXPECT_EQ(secret->openPassword(uuid_, after)->password, "pw");
  EXPECT_NE(secret->openPassword(uuid_, after)->salt, secret->openPassword(uuid_, before)->salt)
      << "another hash, which the guest applies again";
}

TEST_F(DomainCommandsTest, UpdateOfAStoppedDomainWritesItsDefinition) {
  ASSERT_EQ(run(runEnable, {name_, "--hostname", "a"}), 0);
  testing::writeText(dir_ / "ud", "#!/bin/sh\n");
  ASSERT_EQ(run(runUpdate, {name_, "--user-data", (dir_ / "ud").string(), "--clear-ssh-keys"}), 0);
  DomainDefinition d = definition();
  EXPECT_EQ(d.configDrive->userData, "#!/bin/sh\n");
  EXPECT_EQ(d.configDrive->hostname, "a");
  EXPECT_NE(out_.str().find("the drive is built at its next start"), std::string::npos);
}

// cloud-init applies user data once per instance id: --new-instance makes the next boot a new instance, and
// only when asked.
TEST_F(DomainCommandsTest, UpdateWithNewInstanceGivesAFreshInstanceIdEachTimeAndOnlyWhenAsked) {
  ASSERT_EQ(run(runEnable, {name_, "--hostname", "a"}), 0);
  EXPECT_FALSE(definition().configDrive->instanceId);  // the domain's UUID, by default
  ASSERT_EQ(run(runUpdate, {name_, "--new-instance"}), 0);
  std::optional<std::string> first = definition().configDrive->instanceId;
  ASSERT_TRUE(first);
  EXPECT_EQ(first->size(), 36u);
  EXPECT_NE(*first, uuid_);
  ASSERT_EQ(run(runUpdate, {name_, "--hostname", "b"}), 0);
  EXPECT_EQ(definition().configDrive->instanceId, first);
  ASSERT_EQ(run(runUpdate, {name_, "--new-instance"}), 0);
  EXPECT_NE(definition().configDrive->instanceId, first);
  EXPECT_THROW(run(runUpdate, {name_, "--new-instance", "--instance-id", "i-1"}), UsageError);
}

TEST_F(DomainCommandsTest, UpdateOfADomainWithoutConfigDriveSaysEnableFirst) {
  try {
    run(runUpdate, {name_, "--hostname", "x"});
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()), name_ + ": has no config drive; run 'virt-configdrive enable' first");
  }
}

TEST_F(DomainCommandsTest, UserDataOverTheLimitIsRefusedAtEnableAndNothingChanges) {
  testing::writeText(paths_.configFile, "{\"pool\": \"" + poolName() + "\", \"pool_path\": \"" + pool_ +
                                            "\", \"max_user_data_bytes\": 4}");
  testing::writeText(dir_ / "ud", "12345");
  std::string before = inactiveXml();
  EXPECT_THROW(run(runEnable, {name_, "--user-data", (dir_ / "ud").string()}), Error);
  EXPECT_EQ(inactiveXml(), before);
}

TEST_F(DomainCommandsTest, NetworkDataThatGivesNoNicAnAddressIsRefusedAndNothingChanges) {
  testing::writeText(dir_ / "net.json", R"({"links": []})");
  std::string before = inactiveXml();
  try {
    run(runEnable, {name_, "--network-data", (dir_ / "net.json").string()});
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()),
              name_ + ": cd:network-data: the guest would boot without network: it has no networks");
  }
  EXPECT_EQ(inactiveXml(), before);
}

TEST_F(DomainCommandsTest, NetworkDataForAnotherMacIsRefusedAtUpdate) {
  std::string xml = "<domain type='test'><name>" + name_ +
                    "-nic</name><memory>65536</memory>"
                    "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices><interface type='network'>"
                    "<mac address='52:54:00:AB:CD:01'/><source network='default'/></interface></devices></domain>";
  DomainHandle defined(virDomainDefineXML(libvirt_.get(), xml.c_str()));
  ASSERT_TRUE(defined) << libvirtMessage();
  ASSERT_EQ(run(runEnable, {name_ + "-nic"}), 0);
  testing::writeText(dir_ / "net.json",
                     R"({"links": [{"id": "l0", "type": "phy", "ethernet_mac_address": "fa:16:3e:00:00:09"}],
                                            "networks": [{"id": "n0", "link": "l0", "type": "ipv4_dhcp"}]})");
  try {
    run(runUpdate, {name_ + "-nic", "--network-data", (dir_ / "net.json").string()});
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()), name_ +
                                             "-nic: cd:network-data: the guest would boot without network: "
                                             "none of its networks is on a link with one of the domain's MACs "
                                             "(52:54:00:ab:cd:01)");
  }
  testing::writeText(dir_ / "net.json",
                     R"({"links": [{"id": "l0", "type": "phy", "ethernet_mac_address": "52:54:00:ab:cd:01"}],
                                            "networks": [{"id": "n0", "link": "l0", "type": "ipv4_dhcp"}]})");
  EXPECT_EQ(run(runUpdate, {name_ + "-nic", "--network-data", (dir_ / "net.json").string()}), 0);
  ASSERT_EQ(run(runShow, {name_ + "-nic", "--json"}), 0);
  nlohmann::json report = nlohmann::json::parse(out_.str());
  EXPECT_EQ(report["network"], "cd:network-data");
  EXPECT_EQ(report["network_data"]["links"][0]["ethernet_mac_address"], "52:54:00:ab:cd:01");
}

TEST_F(DomainCommandsTest, ShowSaysWhichNetworkApplies) {
  ASSERT_EQ(run(runEnable, {name_}), 0);
  ASSERT_EQ(run(runShow, {name_}), 0);
  EXPECT_NE(out_.str().find("  network: none (no network_data.json: cloud-init configures the guest's first NIC by "
                            "DHCP, its fallback)\n"),
            std::string::npos)
      << out_.str();
  ASSERT_EQ(run(runShow, {name_, "--json"}), 0);
  nlohmann::json report = nlohmann::json::parse(out_.str());
  EXPECT_EQ(report["network"], "none");
  EXPECT_TRUE(report["network_data"].is_null());
  EXPECT_EQ(std::find(report["files"].begin(), report["files"].end(), "/openstack/latest/network_data.json"),
            report["files"].end());
}

TEST_F(DomainCommandsTest, UnknownDomainIsOneError) {
  try {
    run(runShow, {"no-such-domain"});
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(), "no-such-domain: no such domain");
  }
}

TEST_F(DomainCommandsTest, ShowJsonSaysPasswordIsSetButNeverShowsIt) {
  ASSERT_EQ(run(runEnable, {name_, "--hostname", "h", "--password-stdin"}, "hunter2"), 0);
  ASSERT_EQ(run(runShow, {name_, "--json"}), 0);
  nlohmann::json report = nlohmann::json::parse(out_.str());
  EXPECT_EQ(report["enabled"], true);
  EXPECT_EQ(report["hostname"], "h");
  EXPECT_EQ(report["instance_id"], uuid_);
  EXPECT_EQ(report["password"], "set");
  EXPECT_EQ(report["password_cleartext"], false) << "a Linux guest's: only its hash";
  EXPECT_EQ(report["cdrom"]["source"], isoPath());
  EXPECT_EQ(std::find(report["files"].begin(), report["files"].end(), "/cloudstack/password/vm_password.txt"),
            report["files"].end());
  ASSERT_EQ(run(runUpdate, {name_, "--password-cleartext", "yes"}), 0);
  out_.str("");
  ASSERT_EQ(run(runShow, {name_, "--json"}), 0);
  report = nlohmann::json::parse(out_.str());
  EXPECT_EQ(report["password_cleartext"], true);
  EXPECT_NE(std::find(report["files"].begin(), report["files"].end(), "/cloudstack/password/vm_password.txt"),
            report["files"].end());
  EXPECT_EQ(out_.str().find("hunter2"), std::string::npos);
}

TEST_F(DomainCommandsTest, ShowSaysWhoGetsThePassword) {
  ASSERT_EQ(run(runEnable, {name_, "--password-stdin"}, "hunter2"), 0);
  ASSERT_EQ(run(runShow, {name_}), 0);
  EXPECT_NE(out_.str().find("  password for: the image's default user (cloud-init set_passwords"), std::string::npos)
      << out_.str();
  ASSERT_EQ(run(runUpdate, {name_, "--os", "windows"}), 0);
  ASSERT_EQ(run(runShow, {name_, "--json"}), 0);
  EXPECT_EQ(nlohmann::json::parse(out_.str())["password_for"], "the Windows account cloudbase-init sets (admin_pass)");
  ASSERT_EQ(run(runUpdate, {name_, "--clear-password"}), 0);
  ASSERT_EQ(run(runShow, {name_, "--json"}), 0);
  EXPECT_TRUE(nlohmann::json::parse(out_.str())["password_for"].is_null());
}

TEST_F(DomainCommandsTest, ShowOfADomainWithoutConfigDrive) {
  ASSERT_EQ(run(runShow, {name_}), 0);
  EXPECT_EQ(out_.str(), name_ + ": no config drive\n");
}

TEST_F(DomainCommandsTest, DisableRemovesCdromMetadataAndIso) {
  ASSERT_EQ(run(runEnable, {name_, "--hostname", "h"}), 0);
  std::filesystem::create_directories(pool_);
  testing::writeText(isoPath(), "iso");
  ASSERT_EQ(run(runDisable, {name_}), 0);
  DomainDefinition d = definition();
  EXPECT_FALSE(d.configDrive);
  EXPECT_EQ(d.cdroms.size(), 1u);
  EXPECT_FALSE(configDriveCdrom(d));
  EXPECT_FALSE(std::filesystem::exists(isoPath()));
}

TEST_F(DomainCommandsTest, ShowJsonOfADomainWithoutConfigDrive) {
  ASSERT_EQ(run(runShow, {name_, "--json"}), 0);
  nlohmann::json report = nlohmann::json::parse(out_.str());
  EXPECT_EQ(report["domain"], name_);
  EXPECT_EQ(report["enabled"], false);
  EXPECT_TRUE(report["cdrom"].is_null());
  EXPECT_FALSE(report.contains("files")) << report.dump();
}

TEST_F(DomainCommandsTest, TheDomainIsTakenByItsUuidAsByItsName) {
  ASSERT_EQ(run(runEnable, {uuid_, "--hostname", "by-uuid"}), 0);
  EXPECT_EQ(definition().configDrive->hostname, "by-uuid");
  ASSERT_EQ(run(runShow, {uuid_, "--json"}), 0);
  EXPECT_EQ(nlohmann::json::parse(out_.str())["domain"], name_);
}

TEST_F(DomainCommandsTest, ANumberPastAnyIdIsLookedUpAsANameAndNotFound) {
  try {
    run(runShow, {"99999999999999999999"});
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()), "99999999999999999999: no such domain");
  }
}

TEST_F(DomainCommandsTest, DisableOfADomainWithoutConfigDriveSaysSoAndChangesNothing) {
  std::string before = inactiveXml();
  ASSERT_EQ(run(runDisable, {name_}), 0);
  EXPECT_EQ(out_.str(), name_ + ": has no config drive\n");
  EXPECT_EQ(inactiveXml(), before);
}

// A config.json that does not parse: enable, update and disable each fail naming the file, before any change.
TEST_F(DomainCommandsTest, AnInvalidConfigJsonFailsEveryDomainCommandWithNothingChanged) {
  ASSERT_EQ(run(runEnable, {name_, "--hostname", "before"}), 0);
  std::filesystem::create_directories(pool_);
  testing::writeText(isoPath(), "iso");
  testing::writeText(paths_.configFile, "{\"pool\": ");
  const std::string before = inactiveXml();
  const std::vector<std::pair<CommandFunction, std::vector<std::string>>> commands = {
      {runEnable, {name_, "--hostname", "after"}}, {runUpdate, {name_, "--hostname", "after"}}, {runDisable, {name_}}};
  for (const auto& [command, args] : commands) {
    try {
      run(command, args);
      ADD_FAILURE() << args.size() << " arguments: no error";
    } catch (const Error& error) {
      EXPECT_NE(std::string(error.what()).find(paths_.configFile.string()), std::string::npos) << error.what();
      EXPECT_EQ(std::string(error.what()).find('\n'), std::string::npos) << error.what();
    }
    EXPECT_EQ(inactiveXml(), before);
    EXPECT_TRUE(std::filesystem::exists(isoPath()));
  }
}

}  // namespace
}  // namespace vcd

namespace vcd {
namespace {

class RunningDomainTest : public DomainCommandsTest {
 protected:
  void start() {
    DomainHandle domain = libvirt_.lookupDomain(name_);
    ASSERT_EQ(virDomainCreate(domain.get()), 0) << libvirtMessage();
  }
  DomainHandle startWithInvalidLiveMetadata();
};

TEST_F(RunningDomainTest, EnableOnARunningDomainSaysTheDriveComesAtItsNextStart) {
  start();
  auto liveDefinition = [this] { return parseDomainXml(domainXml(libvirt_.lookupDomain(name_).get(), 0)); };
  const std::size_t liveCdroms = liveDefinition().cdroms.size();
  ASSERT_EQ(run(runEnable, {name_, "--hostname", "later"}), 0);
  EXPECT_NE(out_.str().find(": running: the config drive comes at its next start (the CD-ROM is added to the "
                            "persistent definition only)"),
            std::string::npos)
      << out_.str();
  DomainDefinition persistent = definition();
  ASSERT_TRUE(persistent.configDrive) << "the metadata is in the definition of the next start";
  EXPECT_EQ(persistent.configDrive->hostname, "later");
  EXPECT_EQ(persistent.cdroms.size(), 2u) << "an empty first CD-ROM and the drive's";
  DomainDefinition live = liveDefinition();
  EXPECT_FALSE(live.configDrive) << "the running domain is left as it is";
  EXPECT_EQ(live.cdroms.size(), liveCdroms);
  EXPECT_FALSE(persistent.guestAgentChannel) << "no device added unasked to a running domain's next start";
  EXPECT_NE(out_.str().find(": no guest agent channel: enable adds one while the domain is stopped"), std::string::npos)
      << out_.str();
}

TEST_F(RunningDomainTest, EnableWaitOnARunningDomainWithNoAgentChannelIsRefusedAndChangesNothing) {
  start();
  std::string before = inactiveXml();
  try {
    run(runEnable, {name_, "--hostname", "later", "--wait=30"});
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()), name_ +
                                             ": --wait: the domain has no guest agent channel, which enable adds "
                                             "only while it is stopped; nothing was changed");
  }
  EXPECT_EQ(inactiveXml(), before);
}

TEST_F(RunningDomainTest, TheDomainIsTakenByItsIdWhileItRuns) {
  start();
  const std::string id = std::to_string(virDomainGetID(libvirt_.lookupDomain(name_).get()));
  ASSERT_EQ(run(runShow, {id, "--json"}), 0);
  EXPECT_EQ(nlohmann::json::parse(out_.str())["domain"], name_);
}

TEST_F(RunningDomainTest, DisableOfARunningDomainLeavesItsDriveUntilItStops) {
  ASSERT_EQ(run(runEnable, {name_, "--hostname", "h"}), 0);
  std::filesystem::create_directories(pool_);
  testing::writeText(isoPath(), "iso");
  start();
  ASSERT_EQ(run(runDisable, {name_}), 0);
  EXPECT_NE(out_.str().find(name_ + ": config drive disabled\n" + name_ +
                            ": running: its drive stays attached until it stops\n"),
            std::string::npos)
      << out_.str();
  EXPECT_FALSE(definition().configDrive) << "the next start has none";
  EXPECT_TRUE(std::filesystem::exists(isoPath())) << "the running guest keeps reading it";
  ASSERT_EQ(virDomainDestroy(libvirt_.lookupDomain(name_).get()), 0) << libvirtMessage();
  ASSERT_EQ(run(runDisable, {name_}), 0);
  EXPECT_FALSE(std::filesystem::exists(isoPath())) << "stopped: a second disable removes it";
}

TEST_F(RunningDomainTest, UpdateAfterEnablingARunningDomainChangesItsNextStart) {
  start();
  ASSERT_EQ(run(runEnable, {name_, "--hostname", "first"}), 0);
  ASSERT_EQ(run(runUpdate, {name_, "--hostname", "second"}), 0);
  EXPECT_EQ(definition().configDrive->hostname, "second");
  EXPECT_NE(out_.str().find("the drive is built at its next start (it runs without one since before it was enabled)"),
            std::string::npos)
      << out_.str();
}

// The domain started, then given live metadata another client set that no drive can be built from.
DomainHandle RunningDomainTest::startWithInvalidLiveMetadata() {
  start();
  DomainHandle domain = libvirt_.lookupDomain(name_);
  EXPECT_EQ(virDomainSetMetadata(domain.get(), VIR_DOMAIN_METADATA_ELEMENT,
                                 "<configdrive><hostname>not a host name!</hostname></configdrive>", "cd",
                                 "urn:virt-configdrive:metadata:1", VIR_DOMAIN_AFFECT_LIVE),
            0)
      << libvirtMessage();
  return domain;
}

TEST_F(RunningDomainTest, WatchTakesNoOperand) {
  EXPECT_THROW(run(runWatch, {"--once", name_}), UsageError);
  EXPECT_THROW(run(runWatch, {name_}), UsageError);
}

// Metadata another client set that no drive can be built from: one line naming the domain and why; nothing else.
TEST_F(RunningDomainTest, WatchOnceNamesTheDomainWhoseLiveMetadataIsInvalid) {
  DomainHandle domain = startWithInvalidLiveMetadata();
  err_.str("");
  EXPECT_EQ(run(runWatch, {"--once"}), 1);
  const std::string err = err_.str();
  EXPECT_EQ(err, "virt-configdrive: " + name_ +
                     ": not applied: cd:hostname: 'not a host name!' is not a valid host "
                     "name (letters, digits, '-', '.')\n");
  virDomainDestroy(domain.get());  // the test driver's domains outlive the test: leave none with such metadata
}

// Under systemd, whose journal takes stdout and stderr (JOURNAL_STREAM names them), a line goes to syslog alone.
TEST_F(RunningDomainTest, WatchRunBySystemdWritesItsLinesOnlyToTheLog) {
  DomainHandle domain = startWithInvalidLiveMetadata();
  struct stat stderrStatus {};
  ASSERT_EQ(::fstat(STDERR_FILENO, &stderrStatus), 0);
  ::setenv("JOURNAL_STREAM", (std::to_string(stderrStatus.st_dev) + ":" + std::to_string(stderrStatus.st_ino)).c_str(),
           1);
  err_.str("");
  int status = run(runWatch, {"--once"});
  ::unsetenv("JOURNAL_STREAM");
  EXPECT_EQ(status, 1);
  EXPECT_EQ(err_.str(), "");
  ASSERT_EQ(log_.warnings.size(), 1U);
  EXPECT_EQ(log_.warnings[0], name_ +
                                  ": not applied: cd:hostname: 'not a host name!' is not a valid host name "
                                  "(letters, digits, '-', '.')");
  virDomainDestroy(domain.get());
}

TEST_F(RunningDomainTest, ShowOfADomainEnabledWhileRunningShowsItsNextDrive) {
  start();
  ASSERT_EQ(run(runEnable, {name_, "--hostname", "next"}), 0);
  ASSERT_EQ(run(runShow, {name_, "--json"}), 0);
  nlohmann::json report = nlohmann::json::parse(out_.str());
  EXPECT_EQ(report["running"], true);
  EXPECT_EQ(report["attached"], false);
  EXPECT_EQ(report["hostname"], "next");
}

}  // namespace
}  // namespace vcd
