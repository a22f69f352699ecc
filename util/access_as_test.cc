#include "util/access_as.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include "tests/test_support.h"

namespace vcd {
namespace {

// A user with no business here: nobody (65534), as qemu's user stands to the files of the host.
constexpr uid_t kNobody = 65534;
constexpr gid_t kNogroup = 65534;

class AccessAsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_FAIL() << "accessibleAs needs root; the tests run as root";
    ::chmod(dir_.path().c_str(), 0755);
    std::filesystem::create_directories(dir_ / "pool");
    testing::writeText(dir_ / "pool" / "drive.iso", "iso");
  }
  testing::TempDir dir_;
};

TEST_F(AccessAsTest, OtherUsersReadWhatModesLetThem) {
  ::chmod((dir_ / "pool" / "drive.iso").c_str(), 0644);
  EXPECT_TRUE(accessibleAs(kNobody, kNogroup, dir_ / "pool" / "drive.iso", R_OK));
  EXPECT_FALSE(accessibleAs(kNobody, kNogroup, dir_ / "pool" / "drive.iso", W_OK));
}

TEST_F(AccessAsTest, AClosedDirectoryOnTheWayDeniesEverythingBelow) {
  ::chmod((dir_ / "pool" / "drive.iso").c_str(), 0644);
  ::chmod((dir_ / "pool").c_str(), 0700);
  EXPECT_FALSE(accessibleAs(kNobody, kNogroup, dir_ / "pool" / "drive.iso", R_OK));
  EXPECT_FALSE(accessibleAs(kNobody, kNogroup, dir_ / "pool", X_OK));
}

TEST_F(AccessAsTest, TheOwnersBitsAreTheOwners) {
  ::chmod((dir_ / "pool" / "drive.iso").c_str(), 0600);
  EXPECT_FALSE(accessibleAs(kNobody, kNogroup, dir_ / "pool" / "drive.iso", R_OK));
  ASSERT_EQ(::chown((dir_ / "pool" / "drive.iso").c_str(), kNobody, kNogroup), 0);
  EXPECT_TRUE(accessibleAs(kNobody, kNogroup, dir_ / "pool" / "drive.iso", R_OK));
}

}  // namespace
}  // namespace vcd
