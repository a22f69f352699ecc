#include "domain/drive_content_builder.h"

#include <gtest/gtest.h>
#include "util/json_text.h"

#include "tests/test_support.h"
#include "util/error.h"

namespace vcd {
namespace {

using testing::domainXml;

DriveContent contentFor(const std::string& children, const DriveDefaults& defaults = {}) {
  DomainDefinition domain = parseDomainXml(domainXml(children, ""));
  return driveContentFor(domain, *domain.configDrive, defaults);
}

TEST(DriveContentBuilder, DefaultsAreDomainNameAndUuid) {
  DriveContent c = contentFor("");
  EXPECT_EQ(c.hostname, "web1");
  EXPECT_EQ(c.domainName, "web1");
  EXPECT_EQ(c.instanceId, testing::kTestUuid);
  EXPECT_FALSE(c.windows);
  EXPECT_TRUE(c.guestFollows) << "a Linux guest follows its drive unless turned off";
  EXPECT_FALSE(c.networkData) << "no network data: no network_data.json, and cloud-init's own fallback";
}

TEST(DriveContentBuilder, MetadataWinsOverHostDefaults) {
  DriveDefaults defaults;
  defaults.label = "cfg";
  defaults.availabilityZone = "host-zone";
  defaults.cloudIdentifier = "host-cloud";
  DriveContent c = contentFor("<cd:availability-zone>vm-zone</cd:availability-zone>", defaults);
  EXPECT_EQ(c.label, "cfg");
  EXPECT_EQ(c.availabilityZone, "vm-zone");
  EXPECT_EQ(c.cloudIdentifier, "host-cloud");
}

TEST(DriveContentBuilder, UserDataOverTheLimitIsRefused) {
  DriveDefaults defaults;
  defaults.maxUserDataBytes = 4;
  EXPECT_EQ(contentFor("<cd:user-data>1234</cd:user-data>", defaults).userData, "1234");
  try {
    contentFor("<cd:user-data>12345</cd:user-data>", defaults);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(), "cd:user-data: 5 bytes, more than max_user_data_bytes (4)");
  }
}

TEST(DriveContentBuilder, OsElementDecidesWindows) {
  EXPECT_TRUE(contentFor("<cd:os>windows</cd:os>").windows);
  EXPECT_FALSE(contentFor("<cd:os>linux</cd:os>").windows);
}

TEST(DriveContentBuilder, GuestFollowsElementTurnsTheFollowerOff) {
  EXPECT_FALSE(contentFor("<cd:guest-follows>no</cd:guest-follows>").guestFollows);
  EXPECT_TRUE(contentFor("<cd:guest-follows>yes</cd:guest-follows>").guestFollows);
}

TEST(DriveContentBuilder, TheClearTextOnlyForWindowsUnlessTheHostOrTheDomainSays) {
  EXPECT_FALSE(contentFor("").passwordCleartext);
  EXPECT_TRUE(contentFor("<cd:os>windows</cd:os>").passwordCleartext);
  DriveDefaults defaults;
  defaults.passwordCleartext = true;
  EXPECT_TRUE(contentFor("", defaults).passwordCleartext);
  defaults.passwordCleartext = false;
  EXPECT_FALSE(contentFor("<cd:os>windows</cd:os>", defaults).passwordCleartext);
  EXPECT_TRUE(contentFor("<cd:password-cleartext>yes</cd:password-cleartext>", defaults).passwordCleartext);
  EXPECT_FALSE(contentFor("<cd:os>windows</cd:os><cd:password-cleartext>no</cd:password-cleartext>").passwordCleartext);
}

TEST(DriveContentBuilder, AWindowsGuestWithoutTheClearTextIsWarnedItGetsNoPassword) {
  DomainDefinition domain =
      parseDomainXml(domainXml("<cd:os>windows</cd:os><cd:password-cleartext>no</cd:password-cleartext><cd:password "
                               "sealed='v2'>QUFB</cd:password>",
                               ""));
  std::vector<std::string> warnings =
      driveWarnings(domain, *domain.configDrive, driveContentFor(domain, *domain.configDrive, {}));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("no password reaches it"), std::string::npos) << warnings[0];
}

TEST(DriveContentBuilder, LibosinfoWindowsIdMeansWindows) {
  DomainDefinition domain = parseDomainXml(domainXml("", ""));
  domain.osinfoId = "http://microsoft.com/win/2k22";
  EXPECT_TRUE(driveContentFor(domain, *domain.configDrive, {}).windows);
  domain.configDrive->os = "linux";
  EXPECT_FALSE(driveContentFor(domain, *domain.configDrive, {}).windows);
}

TEST(DriveContentBuilder, DhcpModeGivesOneLinkPerInterface) {
  DriveDefaults defaults;
  defaults.networkData = NetworkDataMode::Dhcp;
  std::optional<JsonObjectText> networkData = contentFor("", defaults).networkData;
  ASSERT_TRUE(networkData);
  nlohmann::json net = jsonValue(*networkData);
  ASSERT_EQ(net["links"].size(), 1u);
  EXPECT_EQ(net["links"][0]["ethernet_mac_address"], "52:54:00:12:34:56");
  EXPECT_EQ(net["links"][0]["type"], "phy");
  EXPECT_EQ(net["networks"][0]["type"], "ipv4_dhcp");
  EXPECT_EQ(net["networks"][0]["link"], net["links"][0]["id"]);
}

TEST(DriveContentBuilder, NetworkDataElementWinsOverDhcpMode) {
  DriveDefaults defaults;
  defaults.networkData = NetworkDataMode::Dhcp;
  std::optional<JsonObjectText> networkData =
      contentFor("<cd:network-data>{\"links\": []}</cd:network-data>", defaults).networkData;
  ASSERT_TRUE(networkData);
  EXPECT_EQ(networkData->text(), R"({"links":[]})");
}

TEST(DriveContentBuilder, DhcpModeOnADomainWithoutInterfacesWritesNoNetworkData) {
  DomainDefinition domain = parseDomainXml(domainXml("", ""));
  domain.interfaceMacs.clear();
  DriveDefaults defaults;
  defaults.networkData = NetworkDataMode::Dhcp;
  EXPECT_FALSE(driveContentFor(domain, *domain.configDrive, defaults).networkData);
  EXPECT_EQ(networkDataSourceFor(domain, *domain.configDrive, defaults), NetworkDataSource::None);
}

TEST(DriveContentBuilder, NetworkDataSourceSaysWhichOfTheThreeApplies) {
  DomainDefinition domain = parseDomainXml(domainXml("", ""));
  DriveDefaults defaults;
  EXPECT_EQ(networkDataSourceFor(domain, *domain.configDrive, defaults), NetworkDataSource::None);
  defaults.networkData = NetworkDataMode::Dhcp;
  EXPECT_EQ(networkDataSourceFor(domain, *domain.configDrive, defaults), NetworkDataSource::HostDhcp);
  domain.configDrive->networkData = JsonObjectText{};
  EXPECT_EQ(networkDataSourceFor(domain, *domain.configDrive, defaults), NetworkDataSource::Metadata);
}

// The test domain has one NIC, 52:54:00:12:34:56.
std::optional<std::string> withoutNetwork(const std::string& networkData) {
  DomainDefinition domain = parseDomainXml(domainXml("<cd:network-data>" + networkData + "</cd:network-data>", ""));
  return networkDataWithoutNetwork(domain, *domain.configDrive);
}

TEST(DriveContentBuilder, NetworkDataWithoutNetworksLeavesTheGuestWithoutNetwork) {
  EXPECT_EQ(withoutNetwork("{}"), "cd:network-data: the guest would boot without network: it has no networks");
  EXPECT_EQ(withoutNetwork(R"({"links": [{"id": "l0", "type": "phy", "ethernet_mac_address": "52:54:00:12:34:56"}]})"),
            "cd:network-data: the guest would boot without network: it has no networks");
}

TEST(DriveContentBuilder, NetworkDataForOtherMacsLeavesTheGuestWithoutNetwork) {
  EXPECT_EQ(withoutNetwork(R"({"links": [{"id": "l0", "type": "phy", "ethernet_mac_address": "fa:16:3e:00:00:01"}],
                               "networks": [{"id": "n0", "link": "l0", "type": "ipv4_dhcp"}]})"),
            "cd:network-data: the guest would boot without network: none of its networks is on a link with one of "
            "the domain's MACs (52:54:00:12:34:56)");
}

TEST(DriveContentBuilder, NetworkDataOnTheDomainsMacGivesItNetwork) {
  EXPECT_FALSE(withoutNetwork(R"({"links": [{"id": "l0", "type": "phy", "ethernet_mac_address": "52:54:00:12:34:56"}],
                                  "networks": [{"id": "n0", "link": "l0", "type": "ipv4_dhcp"}]})"));
  EXPECT_FALSE(withoutNetwork(R"({"links": [{"id": "l0", "type": "phy", "ethernet_mac_address": "52:54:00:12:34:56"},
                                            {"id": "v7", "type": "vlan", "vlan_link": "l0", "vlan_id": 7,
                                             "vlan_mac_address": "52:54:00:12:34:56"}],
                                  "networks": [{"id": "n0", "link": "v7", "type": "ipv4", "ip_address": "192.0.2.9",
                                                "netmask": "255.255.255.0"}]})"))
      << "a VLAN on the domain's NIC";
  EXPECT_FALSE(withoutNetwork(R"({"links": [{"id": "l0", "type": "phy", "ethernet_mac_address": "52:54:00:12:34:56"},
                                            {"id": "b0", "type": "bond", "bond_links": ["l0"]}],
                                  "networks": [{"id": "n0", "link": "b0", "type": "ipv4_dhcp"}]})"))
      << "a bond over the domain's NIC";
}

TEST(DriveContentBuilder, NetworkDataWithoutNetworkIsAWarningWhereTheDriveIsBuiltAnyway) {
  DomainDefinition domain = parseDomainXml(domainXml("<cd:network-data>{}</cd:network-data>", ""));
  DriveContent content = driveContentFor(domain, *domain.configDrive, {});
  EXPECT_EQ(content.networkData, JsonObjectText{});
  EXPECT_EQ(driveWarnings(domain, *domain.configDrive, content),
            std::vector<std::string>{"cd:network-data: the guest would boot without network: it has no networks"});
}

TEST(DriveContentBuilder, ASecondCdromNamingTheDriveIsAWarning) {
  const std::string pooled = std::string("/var/lib/libvirt/configdrive/") + testing::kTestUuid + ".iso";
  DomainDefinition domain = parseDomainXml(domainXml("", pooled));
  DriveContent content = driveContentFor(domain, *domain.configDrive, {});
  EXPECT_TRUE(driveWarnings(domain, *domain.configDrive, content).empty());

  domain.cdroms.push_back({"hdb", "ide", pooled});
  EXPECT_EQ(driveWarnings(domain, *domain.configDrive, content),
            std::vector<std::string>{"CD-ROM hdb names " + pooled + " as well: the guest sees its config drive twice"});
  domain.cdroms.back().sourceFile = std::string("/old/") + testing::kTestUuid + ".iso";
  EXPECT_EQ(driveWarnings(domain, *domain.configDrive, content),
            std::vector<std::string>{"CD-ROM hdb names /old/" + std::string(testing::kTestUuid) +
                                     ".iso as well: the guest sees two config drives, and only hdd's is built (" +
                                     pooled + ")"});
}

}  // namespace
}  // namespace vcd
