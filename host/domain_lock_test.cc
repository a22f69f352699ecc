#include "host/domain_lock.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <optional>

#include "tests/test_support.h"
#include "util/error.h"
#include "util/file_io.h"

namespace vcd {
namespace {

using namespace std::chrono_literals;
using testing::TempDir;

TEST(DomainLock, SecondHolderWaitsAndGivesUpNamingTheLock) {
  TempDir dir;
  PoolDirectory pool(dir / "pool", dir / "state");
  DomainLock first = DomainLock::acquire(pool, testing::kTestUuid);
  try {
    DomainLock::acquire(pool, testing::kTestUuid, 100ms);
    FAIL() << "second lock granted while the first is held";
  } catch (const Error& error) {
    EXPECT_NE(
        std::string(error.what())
            .find(std::string(testing::kTestUuid) + ".lock: still held by pid " + std::to_string(::getpid()) + " ("),
        std::string::npos)
        << error.what();
  }
}

// The holder's line is written over the last one and cut to its length, never left with the tail of a longer one.
TEST(DomainLock, TheHolderLineReplacesALongerOne) {
  TempDir dir;
  PoolDirectory pool(dir / "pool", dir / "state");
  std::filesystem::create_directories(pool.stateDir());
  const std::filesystem::path lock = pool.stateDir() / (std::string(testing::kTestUuid) + ".lock");
  testing::writeText(lock, "pid 4000000 (a-much-longer-process-name-than-any-test-has)\n");
  DomainLock held = DomainLock::acquire(pool, testing::kTestUuid);
  std::string holder = readFile(lock);
  EXPECT_EQ(holder.rfind("pid " + std::to_string(::getpid()) + " (", 0), 0u) << holder;
  EXPECT_EQ(holder.find('\n'), holder.size() - 1) << holder;
}

TEST(DomainLock, IsFreeAgainOnceReleased) {
  TempDir dir;
  PoolDirectory pool(dir / "pool", dir / "state");
  { DomainLock first = DomainLock::acquire(pool, testing::kTestUuid); }
  EXPECT_NO_THROW(DomainLock::acquire(pool, testing::kTestUuid, 100ms));
}

TEST(DomainLock, OtherDomainsAreNotBlocked) {
  TempDir dir;
  PoolDirectory pool(dir / "pool", dir / "state");
  DomainLock first = DomainLock::acquire(pool, testing::kTestUuid);
  EXPECT_NO_THROW(DomainLock::acquire(pool, "00000000-0000-0000-0000-000000000001", 100ms));
}

}  // namespace
}  // namespace vcd
