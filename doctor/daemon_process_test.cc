#include "doctor/daemon_process.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include "tests/test_support.h"

namespace vcd {
namespace {

TEST(DaemonProcess, ThisProcessStartedMomentsAgo) {
  std::optional<std::chrono::system_clock::time_point> started = processStartTime("/proc", ::getpid());
  ASSERT_TRUE(started);
  auto age = std::chrono::system_clock::now() - *started;
  EXPECT_GT(age, -std::chrono::seconds(2)) << "btime has a precision of a second";
  EXPECT_LT(age, std::chrono::minutes(10));
}

TEST(DaemonProcess, AGoneProcessHasNoStartTime) { EXPECT_FALSE(processStartTime("/proc", 0x3fffffff)); }

// A fake /proc: a libvirtd in our mount namespace, a virtqemud in another, and an unrelated process.
TEST(DaemonProcess, FindsTheLibvirtDaemonOfThisMountNamespace) {
  testing::TempDir proc;
  auto process = [&](const std::string& pid, const std::string& name, const std::string& ns) {
    std::filesystem::create_directories(proc / pid / "ns");
    testing::writeText(proc / pid / "comm", name + "\n");
    testing::writeText(proc / pid / "stat", pid + " (" + name + ") S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 250 0 0\n");
    std::filesystem::create_symlink(ns, proc / pid / "ns" / "mnt");
  };
  process("self", "doctor", "mnt:[1]");
  process("10", "virtqemud", "mnt:[2]");
  process("20", "bash", "mnt:[1]");
  testing::writeText(proc / "stat", "cpu 1 2 3\nbtime 1700000000\n");
  EXPECT_FALSE(findHookDaemon(proc.path()));

  process("30", "libvirtd", "mnt:[1]");
  std::optional<DaemonProcess> found = findHookDaemon(proc.path());
  ASSERT_TRUE(found);
  EXPECT_EQ(found->pid, 30);
  EXPECT_EQ(found->name, "libvirtd");
  auto expected = std::chrono::system_clock::time_point(std::chrono::seconds(1700000000)) +
                  std::chrono::milliseconds(250 * 1000 / ::sysconf(_SC_CLK_TCK));
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(found->startedAt - expected).count(), 0);
}

}  // namespace
}  // namespace vcd
