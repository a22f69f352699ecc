#include "domain/drive_content_builder.h"

#include <gtest/gtest.h>

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
  EXPECT_EQ(c.networkData, nlohmann::json::object());
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
  nlohmann::json net = contentFor("", defaults).networkData;
  ASSERT_EQ(net["links"].size(), 1u);
  EXPECT_EQ(net["links"][0]["ethernet_mac_address"], "52:54:00:12:34:56");
  EXPECT_EQ(net["links"][0]["type"], "phy");
  EXPECT_EQ(net["networks"][0]["type"], "ipv4_dhcp");
  EXPECT_EQ(net["networks"][0]["link"], net["links"][0]["id"]);
}

TEST(DriveContentBuilder, NetworkDataElementWinsOverDhcpMode) {
  DriveDefaults defaults;
  defaults.networkData = NetworkDataMode::Dhcp;
  EXPECT_EQ(contentFor("<cd:network-data>{\"links\": []}</cd:network-data>", defaults).networkData,
            (nlohmann::json{{"links", nlohmann::json::array()}}));
}

}  // namespace
}  // namespace vcd
