#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <sstream>

#include "cli/command_line.h"
#include "cli/command_reference.h"
#include "cli/commands.h"
#include "iso/iso_reader.h"
#include "tests/test_support.h"
#include "util/error.h"
#include "util/file_io.h"

namespace vcd {
namespace {

using testing::TempDir;

// build and inspect as main runs them: their arguments parsed by their rows of the command reference.
int build(const std::vector<std::string>& args, const CommandContext& context) {
  return runCommand(*findCommand("build"), args, context);
}

int inspect(const std::vector<std::string>& args, const CommandContext& context) {
  return runCommand(*findCommand("inspect"), args, context);
}

class CliTest : public ::testing::Test {
 protected:
  CliTest() {
    paths_.configFile = dir_ / "config.json";
    paths_.secretFile = dir_ / "secret.key";
    paths_.stateDir = dir_ / "state";
  }
  CommandContext context() { return {paths_, "", in_, out_, err_, log_}; }

  struct NoLog : ActionLog {
    void info(const std::string&) override {}
    void warning(const std::string&) override {}
  };

  TempDir dir_;
  HostPaths paths_;
  std::istringstream in_;
  std::ostringstream out_;
  std::ostringstream err_;
  NoLog log_;
};

TEST_F(CliTest, BuildWritesTheDriveOfTheDomainXml) {
  testing::writeText(dir_ / "web1.xml", testing::domainXml("<cd:user-data>hello</cd:user-data>", ""));
  ASSERT_EQ(build({"--domain-xml", (dir_ / "web1.xml").string(), "-o", (dir_ / "out.iso").string()}, context()), 0);
  IsoContents iso = readIso(dir_ / "out.iso");
  EXPECT_EQ(iso.files.at("/openstack/latest/user_data").data, "hello");
  EXPECT_FALSE(std::filesystem::exists(dir_ / "out.iso.partial"));
}

TEST_F(CliTest, BuildOfDomainWithoutMetadataUsesItsIdentity) {
  testing::writeText(dir_ / "web1.xml", testing::domainXml("", "", false));
  ASSERT_EQ(build({"--domain-xml", (dir_ / "web1.xml").string(), "-o", (dir_ / "out.iso").string()}, context()), 0);
  EXPECT_EQ(readIso(dir_ / "out.iso").files.at("/cloudstack/metadata/instance-id.txt").data, testing::kTestUuid);
}

TEST_F(CliTest, BuildFailureLeavesNoOutputAndNamesFileAndElement) {
  testing::writeText(dir_ / "web1.xml", testing::domainXml("<cd:user-data encoding='base64'>!</cd:user-data>", ""));
  try {
    build({"--domain-xml", (dir_ / "web1.xml").string(), "-o", (dir_ / "out.iso").string()}, context());
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()), (dir_ / "web1.xml").string() + ": cd:user-data: is not valid base64");
  }
  EXPECT_FALSE(std::filesystem::exists(dir_ / "out.iso"));
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_.path()), {}), 1) << "only web1.xml is there";
}

// In a directory others write to, a file they planted beside OUT would keep their ownership and mode.
TEST_F(CliTest, BuildNeverWritesIntoAFilePlantedBesideItsOutput) {
  testing::writeText(dir_ / "out.iso.partial", "planted");
  ASSERT_EQ(::chown((dir_ / "out.iso.partial").c_str(), 65534, 65534), 0);
  ::chmod((dir_ / "out.iso.partial").c_str(), 0666);
  in_.str("s3cret\n");
  EXPECT_EQ(build({"--instance-id", "i-1", "--password-cleartext", "yes", "--password-stdin", "-o",
                   (dir_ / "out.iso").string()},
                  context()),
            0);
  EXPECT_EQ(readFile(dir_ / "out.iso.partial"), "planted");
  struct stat st {};
  ASSERT_EQ(::stat((dir_ / "out.iso").c_str(), &st), 0);
  EXPECT_EQ((st.st_mode & 0777), 0600u);
  EXPECT_EQ(st.st_uid, ::geteuid());
  EXPECT_EQ(readIso(dir_ / "out.iso").files.at("/cloudstack/password/vm_password.txt").data, "s3cret");
}

TEST_F(CliTest, AnInstanceIdThatIsNotUtf8IsOneError) {
  try {
    build({"--instance-id", "6f1c3b0e\xff", "-o", (dir_ / "out.iso").string()}, context());
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()), "6f1c3b0e\xff: cd:instance-id: is not valid UTF-8");
  }
  EXPECT_FALSE(std::filesystem::exists(dir_ / "out.iso"));
}

TEST_F(CliTest, VendorDataNestedTooDeepIsOneError) {
  testing::writeText(dir_ / "d.json",
                     R"({"cloud-init":"x","a":)" + std::string(100000, '[') + std::string(100000, ']') + "}");
  try {
    build({"--instance-id", "i-1", "--vendor-data", (dir_ / "d.json").string(), "-o", (dir_ / "out.iso").string()},
          context());
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()), (dir_ / "d.json").string() + ": nests deeper than 64 levels");
  }
}

TEST_F(CliTest, BuildWithoutItsOptionsIsAUsageError) {
  EXPECT_THROW(build({"-o", "x.iso"}, context()), UsageError);
  EXPECT_THROW(build({"--domain-xml", "x.xml"}, context()), UsageError);
}

TEST_F(CliTest, BuildFromDataOptionsAlone) {
  testing::writeText(dir_ / "user-data", "#cloud-config\n");
  in_.str("s3cret\n");
  ASSERT_EQ(build({"--instance-id", "i-7", "--hostname", "db1", "--user-data", (dir_ / "user-data").string(),
                   "--ssh-key", "ssh-ed25519 AAAA me@there", "--password-stdin", "-o", (dir_ / "o.iso").string()},
                  context()),
            0);
  IsoContents iso = readIso(dir_ / "o.iso");
  EXPECT_EQ(iso.files.at("/cloudstack/metadata/instance-id.txt").data, "i-7");
  EXPECT_EQ(iso.files.at("/cloudstack/metadata/local-hostname.txt").data, "db1");
  EXPECT_EQ(iso.files.at("/openstack/latest/user_data").data, "#cloud-config\n");
  EXPECT_EQ(iso.files.at("/cloudstack/metadata/public-keys.txt").data, "ssh-ed25519 AAAA me@there");
  EXPECT_EQ(iso.files.count("/cloudstack/password/vm_password.txt"), 0u) << "a Linux guest's: only the hash";
  for (const auto& [path, file] : iso.files) EXPECT_EQ(file.data.find("s3cret"), std::string::npos) << path;
}

TEST_F(CliTest, EveryBuildWithAPasswordDrawsANewSalt) {
  auto hashOf = [&](const std::string& out) {
    in_.clear();
    in_.str("s3cret\n");
    EXPECT_EQ(build({"--instance-id", "i-7", "--password-stdin", "-o", (dir_ / out).string()}, context()), 0);
    return readIso(dir_ / out).files.at("/openstack/latest/vendor_data.json").data;
  };
  EXPECT_NE(hashOf("a.iso"), hashOf("b.iso"));
}

TEST_F(CliTest, DataOptionsOverrideTheDomainXml) {
  testing::writeText(dir_ / "web1.xml", testing::domainXml("<cd:hostname>from-xml</cd:hostname>", ""));
  ASSERT_EQ(
      build({"--domain-xml", (dir_ / "web1.xml").string(), "--hostname", "from-cli", "-o", (dir_ / "o.iso").string()},
            context()),
      0);
  EXPECT_EQ(readIso(dir_ / "o.iso").files.at("/cloudstack/metadata/local-hostname.txt").data, "from-cli");
}

TEST_F(CliTest, ConflictingDataOptionsAreAUsageError) {
  EXPECT_THROW(build({"--instance-id", "i", "--user-data", "f", "--clear-user-data", "-o", "x"}, context()),
               UsageError);
  EXPECT_THROW(build({"--instance-id", "i", "--password-stdin", "--clear-password", "-o", "x"}, context()), UsageError);
}

TEST_F(CliTest, EmptyPasswordOnStdinIsRefused) {
  in_.str("\n");
  try {
    build({"--instance-id", "i", "--password-stdin", "-o", (dir_ / "o.iso").string()}, context());
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(), "--password-stdin: stdin held no password");
  }
  EXPECT_FALSE(std::filesystem::exists(dir_ / "o.iso"));
}

TEST_F(CliTest, PasswordWithANulIsRefused) {
  in_.str(std::string("ab\0cd\n", 6));
  try {
    build({"--instance-id", "i", "--password-stdin", "-o", (dir_ / "o.iso").string()}, context());
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(), "--password-stdin: the password holds a NUL byte");
  }
  EXPECT_FALSE(std::filesystem::exists(dir_ / "o.iso"));
}

TEST_F(CliTest, UnreadableUserDataFileIsNamed) {
  try {
    build({"--instance-id", "i", "--user-data", (dir_ / "nope").string(), "-o", (dir_ / "o.iso").string()}, context());
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()), (dir_ / "nope").string() + ": cannot open: No such file or directory");
  }
}

TEST_F(CliTest, InspectJsonListsFilesWithSizeAndSha256) {
  testing::writeText(dir_ / "web1.xml", testing::domainXml("<cd:user-data>abc</cd:user-data>", ""));
  build({"--domain-xml", (dir_ / "web1.xml").string(), "-o", (dir_ / "out.iso").string()}, context());
  out_.str("");
  EXPECT_EQ(inspect({(dir_ / "out.iso").string(), "--json"}, context()), 0);
  nlohmann::json report = nlohmann::json::parse(out_.str());
  EXPECT_EQ(report["label"], "config-2");
  EXPECT_EQ(report["files"]["/openstack/latest/user_data"]["size"], 3);
  EXPECT_EQ(report["files"]["/openstack/latest/user_data"]["sha256"],
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(report["problems"], nlohmann::json::array());
}

TEST_F(CliTest, BuildWarnsOfNetworkDataThatGivesNoNicAnAddressAndInspectCallsItAProblem) {
  testing::writeText(dir_ / "web1.xml", testing::domainXml("<cd:network-data>{}</cd:network-data>", ""));
  EXPECT_EQ(build({"--domain-xml", (dir_ / "web1.xml").string(), "-o", (dir_ / "out.iso").string()}, context()), 0);
  EXPECT_EQ(err_.str(),
            "virt-configdrive: web1: warning: cd:network-data: the guest would boot without network: it "
            "has no networks\n");
  EXPECT_EQ(inspect({(dir_ / "out.iso").string()}, context()), 1);
  EXPECT_NE(out_.str().find("problem: cloud-init would configure no network: /openstack/latest/network_data.json: it "
                            "has no networks\n"),
            std::string::npos)
      << out_.str();
  EXPECT_NE(out_.str().find("network: explicit (network_data.json: addresses as it says)\n"), std::string::npos);
}

TEST_F(CliTest, InspectSaysTheDefaultDriveLeavesTheNetworkToCloudInitsFallback) {
  testing::writeText(dir_ / "web1.xml", testing::domainXml("", ""));
  build({"--domain-xml", (dir_ / "web1.xml").string(), "-o", (dir_ / "out.iso").string()}, context());
  EXPECT_EQ(inspect({(dir_ / "out.iso").string()}, context()), 0);
  EXPECT_NE(out_.str().find("network: none (no network_data.json: cloud-init configures the first NIC by DHCP, its "
                            "fallback)\n"),
            std::string::npos)
      << out_.str();
  out_.str("");
  EXPECT_EQ(inspect({(dir_ / "out.iso").string(), "--json"}, context()), 0);
  EXPECT_EQ(nlohmann::json::parse(out_.str())["network"], "none");
}

TEST_F(CliTest, InspectOfAWrongLabelExitsOneSayingWhy) {
  testing::writeText(paths_.configFile, R"({"label": "cidata"})");
  testing::writeText(dir_ / "web1.xml", testing::domainXml("", ""));
  build({"--domain-xml", (dir_ / "web1.xml").string(), "-o", (dir_ / "out.iso").string()}, context());
  out_.str("");
  EXPECT_EQ(inspect({(dir_ / "out.iso").string()}, context()), 1);
  EXPECT_NE(out_.str().find("problem: cloud-init: label is 'cidata', not config-2"), std::string::npos) << out_.str();
}

}  // namespace
}  // namespace vcd
