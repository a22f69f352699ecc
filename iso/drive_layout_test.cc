#include "iso/drive_layout.h"

#include "util/json_text.h"

#include <gtest/gtest.h>

#include <map>

#include "iso/cloud_init_password.h"
#include "iso/cloud_init_vendor_data.h"
#include "iso/guest_follower.h"

namespace vcd {
namespace {

using json = nlohmann::json;

DriveContent sampleContent() {
  DriveContent content;
  content.domainName = "web1";
  content.instanceId = "i-123";
  content.hostname = "web1.example";
  content.availabilityZone = "zone-a";
  content.userData = "#cloud-config\n";
  content.publicKeys = {{"alice", "ssh-ed25519 AAAA alice@laptop"}, {"key-2", "ssh-rsa BBBB"}};
  return content;
}

std::map<std::string, std::string> filesOf(const DriveContent& content) {
  std::map<std::string, std::string> files;
  for (const DriveFile& file : layOutDrive(content)) files[file.path] = *file.data;
  return files;
}

TEST(DriveLayout, CloudstackTextFilesCarryValuesWithoutTrailingNewline) {
  auto files = filesOf(sampleContent());
  EXPECT_EQ(files.at("cloudstack/metadata/instance-id.txt"), "i-123");
  EXPECT_EQ(files.at("cloudstack/metadata/vm-id.txt"), "i-123");
  EXPECT_EQ(files.at("cloudstack/metadata/local-hostname.txt"), "web1.example");
  EXPECT_EQ(files.at("cloudstack/metadata/availability-zone.txt"), "zone-a");
  EXPECT_EQ(files.at("cloudstack/metadata/public-keys.txt"), "ssh-ed25519 AAAA alice@laptop\nssh-rsa BBBB");
}

TEST(DriveLayout, EmptyCloudstackValuesWriteNoFile) {
  DriveContent content = sampleContent();
  content.availabilityZone.clear();
  content.publicKeys.clear();
  auto files = filesOf(content);
  EXPECT_EQ(files.count("cloudstack/metadata/availability-zone.txt"), 0u);
  EXPECT_EQ(files.count("cloudstack/metadata/service-offering.txt"), 0u);
  EXPECT_EQ(files.count("cloudstack/metadata/public-keys.txt"), 0u);
}

TEST(DriveLayout, UserDataFilesShareOneBuffer) {
  std::vector<DriveFile> files = layOutDrive(sampleContent());
  const DriveFile* openstack = nullptr;
  const DriveFile* cloudstack = nullptr;
  for (const DriveFile& file : files) {
    if (file.path == "openstack/latest/user_data") openstack = &file;
    if (file.path == "cloudstack/userdata/user_data.txt") cloudstack = &file;
  }
  ASSERT_NE(openstack, nullptr);
  ASSERT_NE(cloudstack, nullptr);
  EXPECT_EQ(openstack->data.get(), cloudstack->data.get());
  EXPECT_EQ(*openstack->data, "#cloud-config\n");
}

TEST(DriveLayout, NoUserDataWritesNoUserDataFiles) {
  DriveContent content = sampleContent();
  content.userData.reset();
  auto files = filesOf(content);
  EXPECT_EQ(files.count("openstack/latest/user_data"), 0u);
  EXPECT_EQ(files.count("cloudstack/userdata/user_data.txt"), 0u);
}

TEST(DriveLayout, FilesComeInPathOrder) {
  std::vector<DriveFile> files = layOutDrive(sampleContent());
  EXPECT_TRUE(std::is_sorted(files.begin(), files.end(),
                             [](const DriveFile& a, const DriveFile& b) { return a.path < b.path; }));
}

TEST(DriveLayout, MetaDataCarriesIdentityAndKeys) {
  json meta = json::parse(openstackMetaData(sampleContent()));
  EXPECT_EQ(meta["uuid"], "i-123");
  EXPECT_EQ(meta["name"], "web1");
  EXPECT_EQ(meta["hostname"], "web1.example");
  EXPECT_EQ(meta["availability_zone"], "zone-a");
  EXPECT_EQ(meta["launch_index"], 0);
  EXPECT_EQ(meta["public_keys"]["alice"], "ssh-ed25519 AAAA alice@laptop");
  EXPECT_EQ(meta["keys"][1], (json{{"name", "key-2"}, {"type", "ssh"}, {"data", "ssh-rsa BBBB"}}));
  EXPECT_FALSE(meta.contains("admin_pass"));
}

TEST(DriveLayout, VendorAndNetworkDataAreTheContentObjects) {
  DriveContent content = sampleContent();
  content.guestFollows = false;
  content.vendorData = jsonObjectText({{"cloud-init", "#cloud-config\n"}}, "test");
  auto files = filesOf(content);
  EXPECT_EQ(json::parse(files.at("openstack/latest/vendor_data.json")), jsonValue(content.vendorData));
  EXPECT_FALSE(files.count("openstack/latest/network_data.json")) << "no network data, no network_data.json";
  content.networkData = jsonObjectText({{"links", json::array()}}, "test");
  EXPECT_EQ(filesOf(content).at("openstack/latest/network_data.json"), R"({"links":[]})");
}

TEST(DriveLayout, ALinuxGuestsPasswordIsOnlyItsHashUnlessTheClearTextIsAsked) {
  DriveContent content = sampleContent();
  content.password = "s3cret";
  content.windows = true;
  for (const auto& [path, data] : filesOf(content)) EXPECT_EQ(data.find("s3cret"), std::string::npos) << path;
  EXPECT_FALSE(json::parse(filesOf(content).at("openstack/latest/meta_data.json")).contains("admin_pass"));
  content.windows = false;
  for (const auto& [path, data] : filesOf(content)) EXPECT_EQ(data.find("s3cret"), std::string::npos) << path;
  EXPECT_NE(json::parse(filesOf(content).at("openstack/latest/vendor_data.json")).dump().find("$6$"), std::string::npos)
      << "the hash stays";
}

TEST(DriveLayout, LinuxPasswordGoesToVmPasswordTxtAndAsAHashToVendorData) {
  DriveContent content = sampleContent();
  content.password = "s3cret";
  content.passwordCleartext = true;
  content.vendorData = jsonObjectText({{"cloud-init", "#cloud-config\nruncmd: [true]\n"}, {"other", 1}}, "test");
  auto files = filesOf(content);
  EXPECT_EQ(files.at("cloudstack/password/vm_password.txt"), "s3cret");
  EXPECT_EQ(files.count("cloudstack/password/vm-password-md5checksum.txt"), 0u);
  EXPECT_FALSE(json::parse(files.at("openstack/latest/meta_data.json")).contains("admin_pass"));
  const std::string& vendor = files.at("openstack/latest/vendor_data.json");
  std::vector<std::string> ours = {passwordPart(passwordCryptHash(content))};
  ours.insert(ours.end(), followerParts().begin(), followerParts().end());
  EXPECT_EQ(json::parse(vendor), vendorDataWithParts(jsonValue(content.vendorData), ours));
  EXPECT_EQ(vendor.find("s3cret"), std::string::npos) << "the clear text stays out of vendor data";
}

TEST(DriveLayout, ALinuxGuestFollowsItsDriveUnlessTurnedOff) {
  DriveContent content = sampleContent();
  content.vendorData = jsonObjectText({{"cloud-init", "#cloud-config\nruncmd: [true]\n"}}, "test");
  json vendor = json::parse(filesOf(content).at("openstack/latest/vendor_data.json"));
  std::vector<std::string> parts = followerParts();
  parts.push_back("#cloud-config\nruncmd: [true]\n");
  EXPECT_EQ(vendorDataParts(vendor), parts) << "the follower's parts, then the operator's";
  content.guestFollows = false;
  EXPECT_EQ(json::parse(filesOf(content).at("openstack/latest/vendor_data.json")), jsonValue(content.vendorData))
      << "turned off, the drive carries none of it";
  content.password = "s3cret";
  vendor = json::parse(filesOf(content).at("openstack/latest/vendor_data.json"));
  EXPECT_EQ(vendorDataParts(vendor),
            (std::vector<std::string>{passwordPart(passwordCryptHash(content)), "#cloud-config\nruncmd: [true]\n"}))
      << "the password's own part stays: cloud-init applies it once per instance";
}

TEST(DriveLayout, VendorDataWithoutPartsOfOursOrForWindowsIsTheOperatorsOwn) {
  DriveContent content = sampleContent();
  content.guestFollows = false;
  content.vendorData = jsonObjectText({{"cloud-init", "#cloud-config\n"}}, "test");
  EXPECT_EQ(json::parse(filesOf(content).at("openstack/latest/vendor_data.json")), jsonValue(content.vendorData));
  content.windows = true;
  content.password = "pw443";
  EXPECT_EQ(json::parse(filesOf(content).at("openstack/latest/vendor_data.json")), jsonValue(content.vendorData));
}

TEST(DriveLayout, ALinuxGuestsVendorDataListGoesAsOneMultipartString) {
  DriveContent content = sampleContent();
  content.guestFollows = false;
  content.vendorData =
      jsonObjectText({{"cloud-init", {"#cloud-config\nruncmd: [a]\n", "#!/bin/sh\necho b\n"}}, {"other", 1}}, "test");
  json vendor = json::parse(filesOf(content).at("openstack/latest/vendor_data.json"));
  ASSERT_TRUE(vendor["cloud-init"].is_string()) << "a list stops cloud-init 24.3 and later in init-local";
  EXPECT_EQ(vendorDataParts(vendor), vendorDataParts(jsonValue(content.vendorData))) << "the same parts, in order";
  EXPECT_EQ(vendor["other"], 1);
  content.windows = true;
  EXPECT_EQ(filesOf(content).at("openstack/latest/vendor_data.json"), content.vendorData.text())
      << "cloudbase-init's vendor data stays as given";
}

TEST(DriveLayout, WindowsPasswordAlsoGivesChecksumAndAdminPass) {
  DriveContent content = sampleContent();
  content.windows = true;
  content.password = "pw443";
  content.passwordCleartext = true;
  auto files = filesOf(content);
  EXPECT_EQ(files.at("cloudstack/password/vm-password-md5checksum.txt"), "fe1006c8ce47a15e096f1e3de66");
  EXPECT_EQ(json::parse(files.at("openstack/latest/meta_data.json"))["admin_pass"], "pw443");
}

TEST(DriveLayout, ChecksumDropsLeadingZerosOnly) {
  // MD5("pw443") = 00000fe1006c8ce47a15e096f1e3de66: the zeros inside stay.
  EXPECT_EQ(cloudstackPasswordChecksum("pw443"), "fe1006c8ce47a15e096f1e3de66");
  // MD5("message digest") = f96b697d7cb7938d525a2f31aaf161d0: nothing to drop.
  EXPECT_EQ(cloudstackPasswordChecksum("message digest"), "f96b697d7cb7938d525a2f31aaf161d0");
}

}  // namespace
}  // namespace vcd
