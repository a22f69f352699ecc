#include "host/domain_lock.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <optional>

#include "tests/test_support.h"
#include "util/error.h"

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
