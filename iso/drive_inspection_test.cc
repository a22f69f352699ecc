#include "iso/drive_inspection.h"

#include <gtest/gtest.h>

#include <map>

#include "iso/cloud_init_password.h"
#include "iso/cloud_init_vendor_data.h"
#include "iso/guest_follower.h"

namespace vcd {
namespace {

using json = nlohmann::json;
using Lines = std::vector<std::string>;

IsoContents acceptableDrive() {
  IsoContents contents;
  contents.label = "config-2";
  contents.files["/openstack/latest/meta_data.json"].data = R"({"uuid": "i-1"})";
  contents.files["/openstack/latest/user_data"].data = "#cloud-config\n";
  contents.files["/cloudstack/userdata/user_data.txt"].data = "#cloud-config\n";
  contents.files["/openstack/latest/vendor_data.json"].data = "{}";
  contents.jolietPaths.emplace();
  for (const auto& [path, entry] : contents.files) contents.jolietPaths->insert(path);
  return contents;
}

// The acceptable drive with network_data.json holding data (in both trees, as a writer puts it).
IsoContents withNetworkData(const std::string& data) {
  IsoContents contents = acceptableDrive();
  contents.files["/openstack/latest/network_data.json"].data = data;
  contents.jolietPaths->insert("/openstack/latest/network_data.json");
  return contents;
}

Lines problemsOf(const IsoContents& contents) { return inspectDrive(contents).problems; }

TEST(DriveInspection, AcceptableDriveHasNoProblemsNorWarnings) {
  DriveReport report = inspectDrive(acceptableDrive());
  EXPECT_EQ(report.problems, Lines{});
  EXPECT_EQ(report.warnings, Lines{});
  EXPECT_EQ(report.password, "none");
}

TEST(DriveInspection, SaysWhatVendorDataDoesWithAPasswordAndWhetherTheGuestFollows) {
  IsoContents contents = acceptableDrive();
  std::vector<std::string> parts = followerParts();
  parts.insert(parts.begin(), passwordPart("$6$salt$hash"));
  contents.files["/openstack/latest/vendor_data.json"].data = vendorDataWithParts(json::object(), parts).dump();
  DriveReport report = inspectDrive(contents);
  EXPECT_EQ(report.password,
            "the image's default user (SHA-512 crypt hash, not expired; a changed password applies at the next boot "
            "and while the guest runs)");
  EXPECT_TRUE(report.guestFollows);
  contents.files["/openstack/latest/vendor_data.json"].data = R"({"cloud-init": "#cloud-config\npassword: x\n"})";
  report = inspectDrive(contents);
  EXPECT_EQ(report.password, "a cloud-config part of its own sets a password or chpasswd");
  EXPECT_FALSE(report.guestFollows);
}

TEST(DriveInspection, SaysWhetherThePasswordIsInClearOnTheDrive) {
  IsoContents contents = acceptableDrive();
  EXPECT_FALSE(inspectDrive(contents).passwordCleartext);
  contents.files["/cloudstack/password/vm_password.txt"].data = "pw";
  EXPECT_TRUE(inspectDrive(contents).passwordCleartext);
  contents = acceptableDrive();
  contents.files["/openstack/latest/meta_data.json"].data = R"({"uuid": "u", "admin_pass": "pw"})";
  EXPECT_TRUE(inspectDrive(contents).passwordCleartext);
}

TEST(DriveInspection, UpperCaseLabelIsAccepted) {
  IsoContents contents = acceptableDrive();
  contents.label = "CONFIG-2";
  EXPECT_EQ(problemsOf(contents), Lines{});
}

TEST(DriveInspection, LabelsNameTheCloudInitSourceThatTakesTheDrive) {
  EXPECT_EQ(cloudInitSourceOfLabel("config-2"), "ConfigDrive");
  EXPECT_EQ(cloudInitSourceOfLabel("CONFIG-2"), "ConfigDrive");
  EXPECT_EQ(cloudInitSourceOfLabel("cidata"), "NoCloud");
  EXPECT_EQ(cloudInitSourceOfLabel("CIDATA"), "NoCloud");
  EXPECT_EQ(cloudInitSourceOfLabel("Config-2"), std::nullopt);
  EXPECT_EQ(cloudInitSourceOfLabel("CDROM"), std::nullopt);
  EXPECT_EQ(cloudInitSourceOfLabel(""), std::nullopt);
}

TEST(DriveInspection, OtherLabelIsAProblemForCloudInit) {
  IsoContents contents = acceptableDrive();
  contents.label = "CONFIG_2";
  EXPECT_EQ(problemsOf(contents), Lines{"cloud-init: label is 'CONFIG_2', not config-2"});
}

TEST(DriveInspection, MissingMetaDataIsAProblem) {
  IsoContents contents = acceptableDrive();
  contents.files.erase("/openstack/latest/meta_data.json");
  EXPECT_EQ(problemsOf(contents), Lines{"cloud-init: /openstack/latest/meta_data.json is missing"});
}

TEST(DriveInspection, MetaDataWithoutUuidIsAProblem) {
  IsoContents contents = acceptableDrive();
  contents.files["/openstack/latest/meta_data.json"].data = R"({"name": "x"})";
  EXPECT_EQ(problemsOf(contents), Lines{"cloud-init: /openstack/latest/meta_data.json has no uuid"});
}

TEST(DriveInspection, MetaDataThatIsNoJsonObjectIsAProblem) {
  IsoContents contents = acceptableDrive();
  contents.files["/openstack/latest/meta_data.json"].data = "[1,";
  EXPECT_EQ(problemsOf(contents), Lines{"cloud-init: /openstack/latest/meta_data.json is not a JSON object"});
}

TEST(DriveInspection, InvalidVendorOrNetworkJsonIsAProblem) {
  IsoContents contents = withNetworkData("42");
  contents.files["/openstack/latest/vendor_data.json"].data = "{oops";
  EXPECT_EQ(problemsOf(contents),
            (Lines{"cloud-init: /openstack/latest/vendor_data.json is not valid JSON (an object, list or string)",
                   "cloud-init: /openstack/latest/network_data.json is not valid JSON (an object, list or string)"}));
}

TEST(DriveInspection, NetworkDataCloudInitCannotConvertIsAProblem) {
  IsoContents contents = withNetworkData(
      R"({"links": [{"id": "l0", "type": "phy"}], "networks": [{"id": "n0", "link": "l0", "type": "ipv4_dhcp"}]})");
  EXPECT_EQ(problemsOf(contents), Lines{"cloud-init: /openstack/latest/network_data.json: link 'l0' has no "
                                        "ethernet_mac_address (cloud-init finds the NIC by it)"});
}

TEST(DriveInspection, NoNetworkDataIsCloudInitsFallbackNotAProblem) {
  DriveReport report = inspectDrive(acceptableDrive());
  EXPECT_EQ(report.network, "none");
  EXPECT_EQ(report.problems, Lines{});
}

// CloudStack writes {} when it has no network data: cloud-init then configures no interface at all.
TEST(DriveInspection, NetworkDataThatConfiguresNoInterfaceIsAProblem) {
  const std::map<std::string, std::string> cases = {
      {"{}", "it has no networks"},
      {R"({"links": []})", "it has no networks"},
      {R"({"links": [{"id": "l0", "type": "phy", "ethernet_mac_address": "52:54:00:00:00:01"}], "networks": []})",
       "it has no networks"},
  };
  for (const auto& [data, why] : cases) {
    EXPECT_EQ(problemsOf(withNetworkData(data)),
              Lines{"cloud-init would configure no network: /openstack/latest/network_data.json: " + why})
        << data;
  }
}

TEST(DriveInspection, NetworksWithoutTheirLinksConfigureNoInterface) {
  EXPECT_EQ(problemsOf(withNetworkData(R"({"networks": [{"id": "n0", "link": "gone", "type": "ipv4_dhcp"}]})")),
            (Lines{"cloud-init: /openstack/latest/network_data.json: network on link 'gone', which is no link",
                   "cloud-init would configure no network: /openstack/latest/network_data.json: none of its networks "
                   "is on one of its links"}));
}

TEST(DriveInspection, NetworkKindIsDhcpOnlyWhenEveryNetworkIs) {
  const std::string link = R"("links": [{"id": "l0", "type": "phy", "ethernet_mac_address": "52:54:00:00:00:01"}])";
  IsoContents dhcp =
      withNetworkData("{" + link + R"(, "networks": [{"id": "n0", "link": "l0", "type": "ipv4_dhcp"}]})");
  EXPECT_EQ(inspectDrive(dhcp).network, "dhcp");
  IsoContents mixed = withNetworkData("{" + link + R"(, "networks": [{"id": "n0", "link": "l0", "type": "ipv4_dhcp"},
      {"id": "n1", "link": "l0", "type": "ipv4", "ip_address": "192.0.2.5", "netmask": "255.255.255.0"}]})");
  EXPECT_EQ(inspectDrive(mixed).network, "explicit");
  EXPECT_EQ(problemsOf(mixed), Lines{});
}

TEST(DriveInspection, VendorDataWithoutCloudInitKeyIsAWarning) {
  IsoContents contents = acceptableDrive();
  contents.files["/openstack/latest/vendor_data.json"].data = R"({"other": 1})";
  DriveReport report = inspectDrive(contents);
  EXPECT_EQ(report.problems, Lines{});
  EXPECT_EQ(report.warnings, Lines{"cloud-init: /openstack/latest/vendor_data.json: has no \"cloud-init\" key; "
                                   "cloud-init ignores it"});
}

TEST(DriveInspection, DifferingUserDataCopiesAreAProblem) {
  IsoContents contents = acceptableDrive();
  contents.files["/cloudstack/userdata/user_data.txt"].data = "other";
  ASSERT_EQ(problemsOf(contents).size(), 1u);
  EXPECT_NE(problemsOf(contents)[0].find("differ"), std::string::npos);
}

TEST(DriveInspection, WrongPasswordChecksumIsAProblem) {
  IsoContents contents = acceptableDrive();
  contents.files["/cloudstack/password/vm_password.txt"].data = "pw443";
  contents.files["/cloudstack/password/vm-password-md5checksum.txt"].data = "00000fe1006c8ce47a15e096f1e3de66";
  for (const auto& [path, entry] : contents.files) contents.jolietPaths->insert(path);
  EXPECT_EQ(problemsOf(contents), Lines{"CloudStack Windows password agent: vm-password-md5checksum.txt does not "
                                        "match vm_password.txt"});
  contents.files["/cloudstack/password/vm-password-md5checksum.txt"].data = "fe1006c8ce47a15e096f1e3de66";
  EXPECT_EQ(problemsOf(contents), Lines{});
}

TEST(DriveInspection, JolietNamesMustMatchForWindows) {
  IsoContents contents = acceptableDrive();
  contents.jolietPaths->erase("/openstack/latest/user_data");
  contents.jolietPaths->insert("/openstack/latest/user_data.");
  EXPECT_EQ(problemsOf(contents), Lines{"Windows guests (cloudbase-init): /openstack/latest/user_data has another "
                                        "name in the Joliet tree"});
  contents.jolietPaths.reset();
  EXPECT_EQ(problemsOf(contents),
            Lines{"Windows guests (cloudbase-init): no Joliet tree, so no lower-case long names"});
}

TEST(NetworkData, DhcpStyleDataIsAccepted) {
  json data = json::parse(R"({"links": [{"id": "i0", "type": "phy", "ethernet_mac_address": "52:54:00:00:00:01"}],
      "networks": [{"id": "n0", "link": "i0", "type": "ipv4_dhcp"}], "services": []})");
  EXPECT_EQ(networkDataProblems(data), Lines{});
}

TEST(NetworkData, VlanAndBondNeedTheirOwnKeys) {
  json data = json::parse(R"({"links": [{"id": "v", "type": "vlan"}, {"id": "b", "type": "bond"}]})");
  EXPECT_EQ(networkDataProblems(data),
            (Lines{"link 'v' has no vlan_link (a VLAN names its link)", "link 'v' has no vlan_id (a VLAN needs its id)",
                   "link 'v' has no vlan_mac_address (cloud-init names the VLAN by it)",
                   "link 'b' has no bond_links (a bond lists its links)"}));
}

TEST(NetworkData, NetworksMustNameALink) {
  json data = json::parse(R"({"networks": [{"link": "nowhere", "type": "ipv4_dhcp"}, {"type": "ipv4"}]})");
  EXPECT_EQ(networkDataProblems(data),
            (Lines{"network on link 'nowhere', which is no link", "a network needs a \"link\" and a \"type\""}));
}

TEST(VendorData, CloudInitKeyWithStringOrListIsUsed) {
  EXPECT_EQ(vendorDataWarnings(json{{"cloud-init", "#cloud-config\n"}}), Lines{});
  EXPECT_EQ(vendorDataWarnings(json{{"cloud-init", json::array({"#cloud-config\n"})}}), Lines{});
  EXPECT_EQ(vendorDataWarnings(json::object()), Lines{});
  EXPECT_EQ(vendorDataWarnings(json{{"cloud-init", {{"a", 1}}}}),
            Lines{"its \"cloud-init\" value is neither a string nor a list; cloud-init ignores it"});
}

}  // namespace
}  // namespace vcd
