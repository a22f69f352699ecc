#include "domain/configdrive_metadata.h"

#include <gtest/gtest.h>
#include "util/json_text.h"

#include "util/error.h"

namespace vcd {
namespace {

// Parses <metadata> holding one configdrive element written as given.
ConfigDriveMetadata parse(const std::string& element) {
  pugi::xml_document doc;
  EXPECT_TRUE(doc.load_string(("<metadata>" + element + "</metadata>").c_str()));
  return parseConfigDriveMetadata(doc.child("metadata").first_child());
}

ConfigDriveMetadata parseChildren(const std::string& children) {
  return parse("<cd:configdrive xmlns:cd='urn:virt-configdrive:metadata:1'>" + children + "</cd:configdrive>");
}

std::string errorOf(const std::string& children) {
  try {
    parseChildren(children);
  } catch (const Error& error) {
    return error.what();
  }
  return "no error";
}

TEST(ConfigDriveMetadata, ReadsEveryElement) {
  ConfigDriveMetadata m = parseChildren(
      "<cd:hostname>web1</cd:hostname>"
      "<cd:instance-id>i-42</cd:instance-id>"
      "<cd:availability-zone>zone-a</cd:availability-zone>"
      "<cd:service-offering>small</cd:service-offering>"
      "<cd:cloud-identifier>cloud-7</cd:cloud-identifier>"
      "<cd:os>windows</cd:os>"
      "<cd:guest-follows>no</cd:guest-follows>"
      "<cd:user-data encoding='base64'>I2Nsb3VkLWNvbmZpZwo=</cd:user-data>"
      "<cd:public-key name='alice'>ssh-ed25519 AAAA alice@laptop</cd:public-key>"
      "<cd:vendor-data>{\"cloud-init\": \"#cloud-config\\n\"}</cd:vendor-data>"
      "<cd:network-data>{\"links\": []}</cd:network-data>"
      "<cd:password sealed='v1'>c2VhbGVk</cd:password>");
  EXPECT_EQ(m.hostname, "web1");
  EXPECT_EQ(m.instanceId, "i-42");
  EXPECT_EQ(m.availabilityZone, "zone-a");
  EXPECT_EQ(m.serviceOffering, "small");
  EXPECT_EQ(m.cloudIdentifier, "cloud-7");
  EXPECT_EQ(m.os, "windows");
  EXPECT_EQ(m.guestFollows, "no");
  EXPECT_EQ(m.userData, "#cloud-config\n");
  ASSERT_EQ(m.publicKeys.size(), 1u);
  EXPECT_EQ(m.publicKeys[0].name, "alice");
  EXPECT_EQ(m.publicKeys[0].data, "ssh-ed25519 AAAA alice@laptop");
  ASSERT_TRUE(m.vendorData && m.networkData);
  EXPECT_EQ(m.vendorData->text(), R"({"cloud-init":"#cloud-config\n"})");
  EXPECT_EQ(m.networkData->text(), R"({"links":[]})");
  EXPECT_EQ(m.sealedPassword, (SealedPassword{"v1", "c2VhbGVk"}));
}

TEST(ConfigDriveMetadata, EmptyElementMeansEveryDefault) {
  ConfigDriveMetadata m = parseChildren("");
  EXPECT_FALSE(m.hostname || m.instanceId || m.userData || m.vendorData || m.sealedPassword);
  EXPECT_TRUE(m.publicKeys.empty());
}

TEST(ConfigDriveMetadata, NamespaceNotPrefixIsTheIdentity) {
  ConfigDriveMetadata m =
      parse("<x:configdrive xmlns:x='urn:virt-configdrive:metadata:1'><x:hostname>h1</x:hostname></x:configdrive>");
  EXPECT_EQ(m.hostname, "h1");
  ConfigDriveMetadata d =
      parse("<configdrive xmlns='urn:virt-configdrive:metadata:1'><hostname>h2</hostname></configdrive>");
  EXPECT_EQ(d.hostname, "h2");
}

TEST(ConfigDriveMetadata, ElementFromAnotherNamespaceIsRefused) {
  EXPECT_EQ(errorOf("<o:hostname xmlns:o='urn:other'>x</o:hostname>"),
            "cd:configdrive: element <o:hostname> is not in namespace urn:virt-configdrive:metadata:1");
}

TEST(ConfigDriveMetadata, UnknownElementIsRefusedByName) {
  EXPECT_EQ(errorOf("<cd:hostnme>x</cd:hostnme>"), "cd:hostnme: is not an element of urn:virt-configdrive:metadata:1");
}

TEST(ConfigDriveMetadata, UserDataWrappedBase64IsDecoded) {
  EXPECT_EQ(parseChildren("<cd:user-data encoding='base64'>\n  I2Nsb3Vk\n  LWNvbmZpZwo=\n</cd:user-data>").userData,
            "#cloud-config\n");
}

TEST(ConfigDriveMetadata, UserDataWithoutEncodingIsTakenAsIs) {
  EXPECT_EQ(parseChildren("<cd:user-data>#!/bin/sh\necho hi\n</cd:user-data>").userData, "#!/bin/sh\necho hi\n");
}

TEST(ConfigDriveMetadata, InvalidBase64IsRefused) {
  EXPECT_EQ(errorOf("<cd:user-data encoding='base64'>not*base64</cd:user-data>"), "cd:user-data: is not valid base64");
}

TEST(ConfigDriveMetadata, UnknownEncodingIsRefused) {
  EXPECT_EQ(errorOf("<cd:user-data encoding='gzip'>x</cd:user-data>"), "cd:user-data: encoding 'gzip' is not base64");
}

TEST(ConfigDriveMetadata, KeyNamesComeFromAttributeThenCommentThenPosition) {
  ConfigDriveMetadata m = parseChildren(
      "<cd:public-key name='work'>ssh-ed25519 AAAA alice@laptop</cd:public-key>"
      "<cd:public-key>ssh-rsa BBBB bob@desk</cd:public-key>"
      "<cd:public-key>ssh-ed25519 CCCC</cd:public-key>");
  ASSERT_EQ(m.publicKeys.size(), 3u);
  EXPECT_EQ(m.publicKeys[0].name, "work");
  EXPECT_EQ(m.publicKeys[1].name, "bob@desk");
  EXPECT_EQ(m.publicKeys[2].name, "key-3");
}

TEST(ConfigDriveMetadata, DuplicateKeyNamesAreRefused) {
  EXPECT_EQ(errorOf("<cd:public-key>ssh-rsa AAAA me</cd:public-key><cd:public-key>ssh-rsa BBBB me</cd:public-key>"),
            "cd:public-key: two keys are named 'me'");
}

TEST(ConfigDriveMetadata, KeyWithoutKeyMaterialIsRefused) {
  EXPECT_EQ(errorOf("<cd:public-key>ssh-rsa</cd:public-key>"),
            "cd:public-key: 'ssh-rsa' is not an OpenSSH public key (type and key)");
}

TEST(ConfigDriveMetadata, MultiLineValueIsRefused) {
  EXPECT_EQ(errorOf("<cd:instance-id>a\nb</cd:instance-id>"),
            "cd:instance-id: must be a single line without control characters");
}

TEST(ConfigDriveMetadata, HostileHostnameIsRefused) {
  EXPECT_EQ(errorOf("<cd:hostname>../../etc</cd:hostname>").rfind("cd:hostname: '../../etc' is not a valid", 0), 0u);
}

TEST(ConfigDriveMetadata, RepeatedSingleElementIsRefused) {
  EXPECT_EQ(errorOf("<cd:hostname>a</cd:hostname><cd:hostname>b</cd:hostname>"), "cd:hostname: appears more than once");
}

TEST(ConfigDriveMetadata, OsMustBeLinuxOrWindows) {
  EXPECT_EQ(errorOf("<cd:os>beos</cd:os>"), "cd:os: 'beos' is neither linux nor windows");
}

TEST(ConfigDriveMetadata, GuestFollowsMustBeYesOrNo) {
  EXPECT_EQ(errorOf("<cd:guest-follows>sometimes</cd:guest-follows>"),
            "cd:guest-follows: 'sometimes' is neither yes nor no");
}

TEST(ConfigDriveMetadata, VendorDataMustBeAJsonObject) {
  EXPECT_EQ(errorOf("<cd:vendor-data>[1]</cd:vendor-data>"), "cd:vendor-data: must be a JSON object");
  EXPECT_EQ(errorOf("<cd:network-data>{oops</cd:network-data>"), "cd:network-data: is not valid JSON");
}

TEST(ConfigDriveMetadata, PasswordInClearIsRefused) {
  EXPECT_EQ(errorOf("<cd:password>hunter2</cd:password>"),
            "cd:password: is not sealed (a password is never stored in clear)");
  EXPECT_EQ(errorOf("<cd:password sealed='v3'>c2VhbGVk</cd:password>"),
            "cd:password: sealed='v3' is not a known sealing (v1, v2)");
  EXPECT_EQ(parseChildren("<cd:password sealed='v2'>c2VhbGVk</cd:password>").sealedPassword,
            (SealedPassword{"v2", "c2VhbGVk"}));
}

}  // namespace
}  // namespace vcd

namespace vcd {
namespace {

ConfigDriveMetadata everyField() {
  ConfigDriveMetadata m;
  m.hostname = "web1";
  m.instanceId = "i-1";
  m.availabilityZone = "z";
  m.serviceOffering = "small";
  m.cloudIdentifier = "c";
  m.os = "windows";
  m.guestFollows = "no";
  m.userData = std::string("#!\x00\xff", 4);
  m.publicKeys = {{"alice", "ssh-ed25519 AAAA alice@laptop"}, {"key-2", "ssh-rsa BBBB"}};
  m.vendorData = jsonObjectText({{"cloud-init", "x"}}, "test");
  m.networkData = jsonObjectText({{"links", nlohmann::json::array()}}, "test");
  m.sealedPassword = SealedPassword{"v1", "c2VhbGVk"};
  return m;
}

TEST(ConfigDriveMetadataWriter, WrittenElementReadsBackTheSame) {
  pugi::xml_document doc;
  appendConfigDriveElement(doc.append_child("metadata"), everyField());
  pugi::xml_node element = doc.child("metadata").first_child();
  EXPECT_STREQ(element.name(), "cd:configdrive");
  EXPECT_EQ(parseConfigDriveMetadata(element), everyField());
}

TEST(ConfigDriveMetadataWriter, LibvirtFormHasNoPrefixAndReadsBackInTheNamespace) {
  std::string element = configDriveElementForLibvirt(everyField());
  EXPECT_EQ(element.rfind("<configdrive><hostname>web1</hostname>", 0), 0u) << element;
  EXPECT_EQ(element.find("xmlns"), std::string::npos);
  // libvirt stores it with the namespace on every element, as the default namespace does here.
  std::string stored = element;
  stored.insert(std::string("<configdrive").size(), " xmlns='urn:virt-configdrive:metadata:1'");
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(stored.c_str()));
  EXPECT_EQ(parseConfigDriveMetadata(doc.first_child()), everyField());
}

TEST(ConfigDriveMetadataWriter, DefaultKeyNameIsTheCommentElsePosition) {
  EXPECT_EQ(defaultKeyName("ssh-rsa AAAA my laptop key", 1), "my laptop key");
  EXPECT_EQ(defaultKeyName("ssh-rsa AAAA", 4), "key-4");
}

}  // namespace
}  // namespace vcd

namespace vcd {
namespace {

TEST(ConfigDriveMetadataNetwork, LinkWithoutMacIsRefused) {
  pugi::xml_document doc;
  doc.load_string(
      "<metadata><cd:configdrive xmlns:cd='urn:virt-configdrive:metadata:1'><cd:network-data>"
      "{\"links\": [{\"id\": \"eth0\", \"type\": \"phy\"}]}</cd:network-data></cd:configdrive></metadata>");
  try {
    parseConfigDriveMetadata(doc.child("metadata").first_child());
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(),
                 "cd:network-data: link 'eth0' has no ethernet_mac_address (cloud-init finds the NIC by it)");
  }
}

}  // namespace
}  // namespace vcd
