#include <gtest/gtest.h>

#include <sstream>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "iso/iso_reader.h"
#include "tests/test_support.h"
#include "util/error.h"

namespace vcd {
namespace {

using testing::TempDir;

class CliTest : public ::testing::Test {
 protected:
  CliTest() { paths_.configFile = dir_ / "config.json"; }
  CommandContext context() { return {paths_, out_}; }

  TempDir dir_;
  HostPaths paths_;
  std::ostringstream out_;
};

TEST_F(CliTest, BuildWritesTheDriveOfTheDomainXml) {
  testing::writeText(dir_ / "web1.xml", testing::domainXml("<cd:user-data>hello</cd:user-data>", ""));
  ASSERT_EQ(runBuild({"--domain-xml", (dir_ / "web1.xml").string(), "-o", (dir_ / "out.iso").string()}, context()), 0);
  IsoContents iso = readIso(dir_ / "out.iso");
  EXPECT_EQ(iso.files.at("/openstack/latest/user_data").data, "hello");
  EXPECT_FALSE(std::filesystem::exists(dir_ / "out.iso.partial"));
}

TEST_F(CliTest, BuildOfDomainWithoutMetadataUsesItsIdentity) {
  testing::writeText(dir_ / "web1.xml", testing::domainXml("", "", false));
  ASSERT_EQ(runBuild({"--domain-xml", (dir_ / "web1.xml").string(), "-o", (dir_ / "out.iso").string()}, context()), 0);
  EXPECT_EQ(readIso(dir_ / "out.iso").files.at("/cloudstack/metadata/instance-id.txt").data, testing::kTestUuid);
}

TEST_F(CliTest, BuildFailureLeavesNoOutputAndNamesFileAndElement) {
  testing::writeText(dir_ / "web1.xml", testing::domainXml("<cd:user-data encoding='base64'>!</cd:user-data>", ""));
  try {
    runBuild({"--domain-xml", (dir_ / "web1.xml").string(), "-o", (dir_ / "out.iso").string()}, context());
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()), (dir_ / "web1.xml").string() + ": cd:user-data: is not valid base64");
  }
  EXPECT_FALSE(std::filesystem::exists(dir_ / "out.iso"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "out.iso.partial"));
}

TEST_F(CliTest, BuildWithoutItsOptionsIsAUsageError) {
  EXPECT_THROW(runBuild({"-o", "x.iso"}, context()), UsageError);
  EXPECT_THROW(runBuild({"--domain-xml", "x.xml"}, context()), UsageError);
}

TEST_F(CliTest, InspectJsonListsFilesWithSizeAndSha256) {
  testing::writeText(dir_ / "web1.xml", testing::domainXml("<cd:user-data>abc</cd:user-data>", ""));
  runBuild({"--domain-xml", (dir_ / "web1.xml").string(), "-o", (dir_ / "out.iso").string()}, context());
  out_.str("");
  EXPECT_EQ(runInspect({(dir_ / "out.iso").string(), "--json"}, context()), 0);
  nlohmann::json report = nlohmann::json::parse(out_.str());
  EXPECT_EQ(report["label"], "config-2");
  EXPECT_EQ(report["files"]["/openstack/latest/user_data"]["size"], 3);
  EXPECT_EQ(report["files"]["/openstack/latest/user_data"]["sha256"],
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(report["problems"], nlohmann::json::array());
}

TEST_F(CliTest, InspectOfAWrongLabelExitsOneSayingWhy) {
  testing::writeText(paths_.configFile, R"({"label": "cidata"})");
  testing::writeText(dir_ / "web1.xml", testing::domainXml("", ""));
  runBuild({"--domain-xml", (dir_ / "web1.xml").string(), "-o", (dir_ / "out.iso").string()}, context());
  out_.str("");
  EXPECT_EQ(runInspect({(dir_ / "out.iso").string()}, context()), 1);
  EXPECT_NE(out_.str().find("problem: cloud-init: label is 'cidata', not config-2"), std::string::npos) << out_.str();
}

}  // namespace
}  // namespace vcd
