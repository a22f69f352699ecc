#include "iso/guest_follower.h"

#include <gtest/gtest.h>

#include "iso/cloud_init_password.h"
#include "util/json_text.h"

namespace vcd {
namespace {

using json = nlohmann::json;

// The value of a `NAME = "…"` line of the follower's Python source (a JSON string is the same literal).
std::string pythonString(const std::string& name) {
  std::string script(followDriveScript());
  size_t at = script.find("\n" + name + " = \"");
  if (at == std::string::npos) return "";
  size_t start = script.find('"', at);
  return json::parse(script.substr(start, script.find('\n', start) - start)).get<std::string>();
}

TEST(GuestFollower, PartsAreTheBoothookAndTheInstanceScript) {
  const std::vector<std::string>& parts = followerParts();
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0], "#cloud-boothook\n" + std::string(followDriveScript()));
  EXPECT_TRUE(isFollowerBoothook(parts[0]));
  EXPECT_FALSE(isFollowerBoothook("#cloud-boothook\n#!/bin/sh\necho\n"));
  EXPECT_EQ(parts[1].rfind("#!/bin/sh\n", 0), 0u);
  EXPECT_NE(parts[1].find("exec /usr/bin/python3 /var/lib/cloud/virt-configdrive/follow_drive.py --instance-done"),
            std::string::npos)
      << parts[1];
}

TEST(GuestFollower, TheScriptIsGuestFollowDrivePy) {
  std::string_view script = followDriveScript();
  EXPECT_EQ(script.substr(0, 19), "#!/usr/bin/python3\n");
  EXPECT_NE(script.find("def main(argv):"), std::string_view::npos);
  EXPECT_EQ(script.back(), '\n') << "the whole file, not a C string's first part";
}

TEST(GuestFollower, KnowsItsOwnPartByHowItBegins) {
  std::string prefix = pythonString("FOLLOWER_PART");
  ASSERT_FALSE(prefix.empty()) << "no FOLLOWER_PART in the follower";
  EXPECT_EQ(followerParts()[0].rfind(prefix, 0), 0u) << prefix;
  EXPECT_TRUE(isFollowerBoothook(prefix));
}

TEST(GuestFollower, FindsThePasswordPartByHowItBegins) {
  std::string prefix = pythonString("PASSWORD_PART");
  ASSERT_FALSE(prefix.empty()) << "no PASSWORD_PART in the follower";
  EXPECT_EQ(passwordPart("$6$x$y").rfind(prefix, 0), 0u) << prefix;
}

}  // namespace
}  // namespace vcd
