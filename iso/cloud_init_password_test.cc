#include "iso/cloud_init_password.h"

#include <gtest/gtest.h>

#include "iso/cloud_init_vendor_data.h"
#include "iso/guest_follower.h"
#include "util/digest.h"
#include "util/password_hash.h"

namespace vcd {
namespace {

using json = nlohmann::json;

const std::string kHash = "$6$abcdefghijklmnop$hash";

TEST(CloudInitPassword, HashTakesTheSaltSealedWithThePassword) {
  DriveContent content;
  content.instanceId = "i-1";
  content.password = "s3cret";
  content.passwordSalt = std::string(16, '\x01');
  std::string hash = passwordCryptHash(content);
  EXPECT_TRUE(cryptHashMatches("s3cret", hash));
  EXPECT_EQ(passwordCryptHash(content), hash) << "the same sealed value gives the same drive";
  content.passwordSalt = std::string(16, '\x02');
  EXPECT_NE(passwordCryptHash(content), hash) << "the password set again, another salt";
  EXPECT_EQ(passwordCryptHash(content).substr(0, 3), "$6$");
}

TEST(CloudInitPassword, APasswordSealedWithoutASaltKeepsTheOneItHad) {
  DriveContent content;
  content.instanceId = "i-1";
  content.password = "s3cret";
  std::string hash = passwordCryptHash(content);
  EXPECT_TRUE(cryptHashMatches("s3cret", hash));
  EXPECT_EQ(hash, sha512CryptHash("s3cret", sha256Digest("virt-configdrive password salt\ni-1\ns3cret")))
      << "what earlier releases gave the guest, until the password is set again";
}

TEST(CloudInitPassword, PartGivesTheHashNotExpired) {
  std::string config = passwordPart(kHash);
  ASSERT_EQ(config.rfind("#cloud-config\n# virt-configdrive: password\n", 0), 0u) << config;
  json settings = json::parse(config.substr(config.find('{')));
  EXPECT_EQ(settings, (json{{"password", kHash}, {"chpasswd", {{"expire", false}}}}));
  EXPECT_FALSE(settings.contains("ssh_pwauth")) << "the image's own ssh_pwauth stays";
}

TEST(CloudInitPassword, InspectSaysWhatVendorDataDoesWithAPassword) {
  EXPECT_EQ(vendorDataPassword(json::object()), "none");
  EXPECT_EQ(vendorDataPassword(json{{"cloud-init", "#cloud-config\nruncmd: [true]\n"}}), "none");
  std::string once = vendorDataPassword(vendorDataWithParts(json::object(), {passwordPart(kHash)}));
  EXPECT_NE(once.find("default user"), std::string::npos) << once;
  EXPECT_NE(once.find("once per instance"), std::string::npos) << once;
  std::vector<std::string> parts = followerParts();
  parts.insert(parts.begin(), passwordPart(kHash));
  std::string followed = vendorDataPassword(vendorDataWithParts(json::object(), parts));
  EXPECT_NE(followed.find("next boot and while the guest runs"), std::string::npos) << followed;
  // CloudStack 4.20's vendor data: a cloud-config of its own.
  std::string cloudstack = vendorDataPassword(json{{"cloud-init", "#cloud-config\npassword: x\n"}});
  EXPECT_NE(cloudstack.find("of its own"), std::string::npos) << cloudstack;
  EXPECT_EQ(cloudstack.find("default user"), std::string::npos) << cloudstack;
}

}  // namespace
}  // namespace vcd
