#include "doctor/hook_installation.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include "tests/test_support.h"

namespace vcd {
namespace {

class HookInstallationTest : public ::testing::Test {
 protected:
  HookInstallationTest() {
    std::filesystem::create_directories(dir_ / "hooks" / "qemu.d");
    testing::writeText(dir_ / "hook-binary", "#!/bin/sh\n");
    ::chmod((dir_ / "hook-binary").c_str(), 0755);
  }
  std::filesystem::path qemuD() const { return dir_ / "hooks" / "qemu.d"; }

  testing::TempDir dir_;
};

TEST_F(HookInstallationTest, NothingInstalledIsNothingFound) {
  HookInstallation found = inspectHookInstallation(dir_ / "hooks");
  EXPECT_FALSE(found.ours);
  EXPECT_TRUE(found.others.empty());
}

TEST_F(HookInstallationTest, OurLinkIsResolvedToItsBinary) {
  std::filesystem::create_symlink(dir_ / "hook-binary", qemuD() / "virt-configdrive");
  HookInstallation found = inspectHookInstallation(dir_ / "hooks");
  ASSERT_TRUE(found.ours);
  EXPECT_EQ(found.ours->path, qemuD() / "virt-configdrive");
  EXPECT_EQ(found.ours->target, std::filesystem::canonical(dir_ / "hook-binary"));
  EXPECT_TRUE(found.ours->executable);
}

TEST_F(HookInstallationTest, ADanglingOrNonExecutableHookIsNotExecutable) {
  std::filesystem::create_symlink(dir_ / "gone", qemuD() / "virt-configdrive");
  HookInstallation found = inspectHookInstallation(dir_ / "hooks");
  ASSERT_TRUE(found.ours);
  EXPECT_FALSE(found.ours->executable);
  EXPECT_TRUE(found.ours->target.empty());

  std::filesystem::remove(qemuD() / "virt-configdrive");
  testing::writeText(qemuD() / "virt-configdrive", "#!/bin/sh\n");
  ::chmod((qemuD() / "virt-configdrive").c_str(), 0644);
  EXPECT_FALSE(inspectHookInstallation(dir_ / "hooks").ours->executable);
}

TEST_F(HookInstallationTest, OtherExecutableQemuHooksAreListed) {
  std::filesystem::create_symlink(dir_ / "hook-binary", dir_ / "hooks" / "qemu");
  std::filesystem::create_symlink(dir_ / "hook-binary", qemuD() / "10-other");
  testing::writeText(qemuD() / "README", "not a hook");
  HookInstallation found = inspectHookInstallation(dir_ / "hooks");
  EXPECT_FALSE(found.ours);
  ASSERT_EQ(found.others.size(), 2u);
}

}  // namespace
}  // namespace vcd
