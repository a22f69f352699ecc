#include "doctor/apparmor_profile.h"

#include <gtest/gtest.h>

#include "tests/test_support.h"
#include "util/error.h"

namespace vcd {
namespace {

// The shape of Debian 12's usr.sbin.libvirtd: exec rules of its own, an abstraction, a child profile.
const char* const kProfile = R"(#include <tunables/global>
@{LIBVIRT}="libvirt"

profile libvirtd /usr/sbin/libvirtd flags=(attach_disconnected) {
  #include <abstractions/base>
  include if exists <local/usr.sbin.libvirtd>

  /usr/bin/* PUx,
  /usr/sbin/* PUx,   # comments end a rule's line
  audit deny /{usr/,}sbin/apparmor_parser rwxl,
  /usr/lib/libvirt/* PUxr,
  /etc/libvirt/hooks/** rmix,
  @{LIBVIRT}/bin/* Ux,

  /usr/{lib,lib64,lib/qemu,libexec}/qemu-bridge-helper Cx -> qemu_bridge_helper,
  profile qemu_bridge_helper {
    /usr/libexec/** rix,
  }
}
)";

class AppArmorProfileTest : public ::testing::Test {
 protected:
  AppArmorProfileTest() {
    std::filesystem::create_directories(dir_ / "abstractions");
    testing::writeText(dir_ / "abstractions" / "base", "  /opt/base-tool ix,\n  /etc/ld.so.cache r,\n");
    testing::writeText(dir_ / "usr.sbin.libvirtd", kProfile);
  }

  std::optional<ExecRule> allowed(const std::string& path) {
    return ruleAllowingExec(readExecRules(dir_ / "usr.sbin.libvirtd", dir_.path()), path);
  }

  testing::TempDir dir_;
};

TEST_F(AppArmorProfileTest, HookUnderUsrLibLibvirtIsAllowed) {
  std::optional<ExecRule> rule = allowed("/usr/lib/libvirt/virt-configdrive-hook");
  ASSERT_TRUE(rule);
  EXPECT_EQ(rule->pattern, "/usr/lib/libvirt/*");
  EXPECT_EQ(rule->permissions, "PUxr");
}

TEST_F(AppArmorProfileTest, HookUnderUsrLibexecIsDenied) {
  EXPECT_FALSE(allowed("/usr/libexec/virt-configdrive/qemu-hook"));
}

TEST_F(AppArmorProfileTest, SingleStarStopsAtASlash) {
  EXPECT_FALSE(allowed("/usr/lib/libvirt/sub/virt-configdrive-hook"));
  EXPECT_TRUE(allowed("/etc/libvirt/hooks/qemu.d/sub/any"));
}

TEST_F(AppArmorProfileTest, DenyRulesWinOverAllowRules) {
  EXPECT_FALSE(allowed("/usr/sbin/apparmor_parser"));
  EXPECT_FALSE(allowed("/sbin/apparmor_parser"));
  EXPECT_TRUE(allowed("/usr/sbin/virtlogd"));
}

TEST_F(AppArmorProfileTest, IncludedAbstractionsCountChildProfilesDoNot) {
  EXPECT_TRUE(allowed("/opt/base-tool"));
  EXPECT_FALSE(allowed("/usr/libexec/virt-configdrive/qemu-hook")) << "that rule is qemu_bridge_helper's";
  EXPECT_TRUE(allowed("/usr/lib/qemu/qemu-bridge-helper"));
}

TEST_F(AppArmorProfileTest, RulesOnlyReadAndNotExecuteAreNoExecRules) {
  for (const ExecRule& rule : readExecRules(dir_ / "usr.sbin.libvirtd", dir_.path())) {
    EXPECT_NE(rule.permissions.find('x'), std::string::npos) << rule.pattern;
  }
  EXPECT_FALSE(allowed("/etc/ld.so.cache"));
}

TEST_F(AppArmorProfileTest, MissingRequiredIncludeIsAnErrorNamingIt) {
  testing::writeText(dir_ / "usr.sbin.libvirtd", "profile x {\n  #include <abstractions/missing>\n}\n");
  try {
    readExecRules(dir_ / "usr.sbin.libvirtd", dir_.path());
    FAIL() << "no error";
  } catch (const ProfileIncludeMissing& error) {
    EXPECT_NE(std::string(error.what()).find("abstractions/missing"), std::string::npos) << error.what();
  }
}

TEST(Aare, AlternationsClassesAndEscapes) {
  EXPECT_TRUE(aareMatches("/{usr/,}bin/sh", "/bin/sh"));
  EXPECT_TRUE(aareMatches("/{usr/,}bin/sh", "/usr/bin/sh"));
  EXPECT_FALSE(aareMatches("/{usr/,}bin/sh", "/usr/local/bin/sh"));
  EXPECT_TRUE(aareMatches("/dev/sd[a-z]", "/dev/sdb"));
  EXPECT_FALSE(aareMatches("/dev/sd[^a-z]", "/dev/sdb"));
  EXPECT_TRUE(aareMatches("/a/b?", "/a/bc"));
  EXPECT_FALSE(aareMatches("/a/b?", "/a/b/"));
  EXPECT_TRUE(aareMatches("/a.b+(c)", "/a.b+(c)"));
  EXPECT_FALSE(aareMatches("/a.b", "/axb"));
  EXPECT_TRUE(aareMatches("/x\\*", "/x*"));
  EXPECT_FALSE(aareMatches("/x\\*", "/xy"));
}

}  // namespace
}  // namespace vcd
