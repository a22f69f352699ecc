#include "iso/cloud_init_password.h"

#include <gtest/gtest.h>

#include "util/password_hash.h"

namespace vcd {
namespace {

using json = nlohmann::json;

const std::string kHash = "$6$abcdefghijklmnop$hash";

std::string passwordConfig(const json& vendorData) { return vendorDataParts(vendorData).at(0); }

TEST(CloudInitPassword, HashIsDeterministicPerInstanceAndMatchesTheClearText) {
  DriveContent content;
  content.instanceId = "i-1";
  content.password = "s3cret";
  std::string hash = passwordCryptHash(content);
  EXPECT_TRUE(cryptHashMatches("s3cret", hash));
  EXPECT_EQ(passwordCryptHash(content), hash) << "the same inputs give the same drive";
  content.instanceId = "i-2";
  EXPECT_NE(passwordCryptHash(content), hash) << "another instance, another salt";
}

TEST(CloudInitPassword, PartsComeFirstAndCarryTheHashNotExpired) {
  json vendorData = vendorDataWithPassword(json::object(), kHash);
  ASSERT_TRUE(vendorData["cloud-init"].is_string()) << "a list stops cloud-init 24.3 and later in init-local";
  EXPECT_EQ(vendorData["cloud-init"].get<std::string>().rfind("Content-Type: multipart/mixed; boundary=", 0), 0u);
  std::vector<std::string> parts = vendorDataParts(vendorData);
  ASSERT_EQ(parts.size(), 2u);
  std::string config = passwordConfig(vendorData);
  ASSERT_EQ(config.rfind("#cloud-config\n# virt-configdrive: password\n", 0), 0u) << config;
  json settings = json::parse(config.substr(config.find('{')));
  EXPECT_EQ(settings, (json{{"password", kHash}, {"chpasswd", {{"expire", false}}}}));
  EXPECT_FALSE(settings.contains("ssh_pwauth")) << "the image's own ssh_pwauth stays";
  EXPECT_EQ(parts[1].rfind("#cloud-boothook\n#!/usr/bin/python3\n", 0), 0u);
  EXPECT_EQ(vendorDataWithPassword(json::object(), kHash), vendorData) << "the same parts give the same bytes";
}

TEST(CloudInitPassword, OperatorsVendorDataStaysAfterThePasswordParts) {
  json theirs = {{"cloud-init", "#cloud-config\npassword: theirs\n"}, {"other", {{"k", 1}}}};
  json merged = vendorDataWithPassword(theirs, kHash);
  EXPECT_EQ(merged["other"], theirs["other"]);
  std::vector<std::string> parts = vendorDataParts(merged);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[2], theirs["cloud-init"].get<std::string>()) << "last, so that its own keys win cloud-init's merge";

  // A list's strings, each a part of its own; a part holding blank lines and dashes stays whole.
  json list = {{"cloud-init", {"#!/bin/sh\necho a\n\n--\n", "#cloud-config\n{}\n"}}};
  merged = vendorDataWithPassword(list, kHash);
  parts = vendorDataParts(merged);
  ASSERT_EQ(parts.size(), 4u);
  EXPECT_EQ(parts[2], list["cloud-init"][0].get<std::string>());
  EXPECT_EQ(parts[3], list["cloud-init"][1].get<std::string>());
}

TEST(CloudInitPassword, OnlyAListOfStringsBecomesAMultipartWithoutAPassword) {
  json list = {{"cloud-init", {"#cloud-config\nruncmd: [a]\n", "#!/bin/sh\necho b\n"}}};
  std::optional<json> converted = vendorDataListAsMultipart(list);
  ASSERT_TRUE(converted.has_value());
  EXPECT_EQ(vendorDataParts(*converted), vendorDataParts(list));
  EXPECT_EQ(vendorDataListAsMultipart(list), converted) << "the same parts give the same bytes";
  EXPECT_EQ(vendorDataListAsMultipart(json{{"cloud-init", "#cloud-config\n"}}), std::nullopt);
  EXPECT_EQ(vendorDataListAsMultipart(json{{"cloud-init", {"#cloud-config\n", 1}}}), std::nullopt)
      << "a list of other values too stays as given";
  EXPECT_EQ(vendorDataListAsMultipart(json::object()), std::nullopt);
  EXPECT_EQ(vendorDataListAsMultipart(json::array({"#cloud-config\n"})), std::nullopt);
}

TEST(CloudInitPassword, AMimeMessageOfTheOperatorsIsAPartWithItsOwnHeaders) {
  const std::string mime =
      "Content-Type: multipart/mixed; boundary=\"b\"\nMIME-Version: 1.0\n\n--b\n"
      "Content-Type: text/x-shellscript\n\n#!/bin/sh\necho a\n--b--\n";
  std::string text = vendorDataWithPassword(json{{"cloud-init", mime}}, kHash)["cloud-init"].get<std::string>();
  EXPECT_NE(text.find("\n" + mime), std::string::npos) << text;
  EXPECT_EQ(text.find("text/plain; charset=\"utf-8\"\n\n" + mime), std::string::npos) << text;
}

TEST(CloudInitPassword, InspectSaysWhatVendorDataDoesWithAPassword) {
  EXPECT_EQ(vendorDataPassword(json::object()), "none");
  EXPECT_EQ(vendorDataPassword(json{{"cloud-init", "#cloud-config\nruncmd: [true]\n"}}), "none");
  std::string ours = vendorDataPassword(vendorDataWithPassword(json::object(), kHash));
  EXPECT_NE(ours.find("default user"), std::string::npos) << ours;
  EXPECT_NE(ours.find("next boot"), std::string::npos) << ours;
  // CloudStack 4.20's vendor data: a cloud-config of its own.
  std::string cloudstack = vendorDataPassword(json{{"cloud-init", "#cloud-config\npassword: x\n"}});
  EXPECT_NE(cloudstack.find("of its own"), std::string::npos) << cloudstack;
  EXPECT_EQ(cloudstack.find("default user"), std::string::npos) << cloudstack;
}

}  // namespace
}  // namespace vcd
