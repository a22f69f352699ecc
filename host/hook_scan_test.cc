#include "host/hook_scan.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include "host/process_name.h"
#include "tests/test_support.h"
#include "util/error.h"

namespace vcd {
namespace {

TEST(HookScan, ARescanIsRecordedForTheDaemonThatMadeIt) {
  testing::TempDir dir;
  std::string self = processName("/proc", ::getpid());
  ASSERT_FALSE(self.empty());
  auto before = std::chrono::system_clock::now() - std::chrono::seconds(1);
  recordHookScan(dir / "run", ::getpid());
  std::optional<FileTime> scanned = lastHookScan(dir / "run", self, ::getpid());
  ASSERT_TRUE(scanned);
  EXPECT_GE(*scanned, before);
  EXPECT_FALSE(lastHookScan(dir / "run", self, ::getpid() + 1));
  EXPECT_FALSE(lastHookScan(dir / "run", "virtqemud", ::getpid()));
  EXPECT_FALSE(std::filesystem::exists(dir / "run" / ("hooks-scanned." + self + ".new")));
}

TEST(HookScan, AGoneDaemonHasNoNameAndNoRecord) {
  testing::TempDir dir;
  EXPECT_EQ(processName("/proc", 0x3fffffff), "");
  EXPECT_THROW(recordHookScan(dir / "run", 0x3fffffff), Error);
  EXPECT_FALSE(std::filesystem::exists(dir / "run" / "hooks-scanned."));
}

}  // namespace
}  // namespace vcd
