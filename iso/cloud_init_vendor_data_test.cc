#include "iso/cloud_init_vendor_data.h"

#include <gtest/gtest.h>

namespace vcd {
namespace {

using json = nlohmann::json;

const std::vector<std::string> kOurs = {"#cloud-config\n# ours\n{}\n", "#cloud-boothook\n#!/bin/sh\ntrue\n"};

TEST(CloudInitVendorData, OurPartsComeFirstAsOneMultipartString) {
  json vendorData = vendorDataWithParts(json::object(), kOurs);
  ASSERT_TRUE(vendorData["cloud-init"].is_string()) << "a list stops cloud-init 24.3 and later in init-local";
  EXPECT_EQ(vendorData["cloud-init"].get<std::string>().rfind("Content-Type: multipart/mixed; boundary=", 0), 0u);
  EXPECT_EQ(vendorDataParts(vendorData), kOurs);
  EXPECT_EQ(vendorDataWithParts(json::object(), kOurs), vendorData) << "the same parts give the same bytes";
}

TEST(CloudInitVendorData, OperatorsVendorDataStaysAfterOurParts) {
  json theirs = {{"cloud-init", "#cloud-config\npassword: theirs\n"}, {"other", {{"k", 1}}}};
  json merged = vendorDataWithParts(theirs, kOurs);
  EXPECT_EQ(merged["other"], theirs["other"]);
  std::vector<std::string> parts = vendorDataParts(merged);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[2], theirs["cloud-init"].get<std::string>()) << "last, so that its own keys win cloud-init's merge";

  // A list's strings, each a part of its own; a part holding blank lines and dashes stays whole.
  json list = {{"cloud-init", {"#!/bin/sh\necho a\n\n--\n", "#cloud-config\n{}\n"}}};
  merged = vendorDataWithParts(list, kOurs);
  parts = vendorDataParts(merged);
  ASSERT_EQ(parts.size(), 4u);
  EXPECT_EQ(parts[2], list["cloud-init"][0].get<std::string>());
  EXPECT_EQ(parts[3], list["cloud-init"][1].get<std::string>());
}

TEST(CloudInitVendorData, OnlyAListOfStringsBecomesAMultipartWithoutPartsOfOurs) {
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

TEST(CloudInitVendorData, AMimeMessageOfTheOperatorsIsAPartWithItsOwnHeaders) {
  const std::string mime =
      "Content-Type: multipart/mixed; boundary=\"b\"\nMIME-Version: 1.0\n\n--b\n"
      "Content-Type: text/x-shellscript\n\n#!/bin/sh\necho a\n--b--\n";
  std::string text = vendorDataWithParts(json{{"cloud-init", mime}}, kOurs)["cloud-init"].get<std::string>();
  EXPECT_NE(text.find("\n" + mime), std::string::npos) << text;
  EXPECT_EQ(text.find("text/plain; charset=\"utf-8\"\n\n" + mime), std::string::npos) << text;
}

}  // namespace
}  // namespace vcd
