#include "host/host_secret.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "tests/test_support.h"
#include "util/error.h"
#include "util/file_io.h"

namespace vcd {
namespace {

using testing::kTestUuid;
using testing::TempDir;

TEST(HostSecret, CreatedOnFirstUseReadableOnlyByOwner) {
  TempDir dir;
  std::filesystem::path file = dir / "etc" / "secret.key";
  HostSecret::loadOrCreate(file);
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(st.st_size, 32);
}

TEST(HostSecret, SecondUseKeepsTheKey) {
  TempDir dir;
  std::string sealed = HostSecret::loadOrCreate(dir / "secret.key").sealPassword(kTestUuid, "pw");
  EXPECT_EQ(HostSecret::loadOrCreate(dir / "secret.key").openPassword(kTestUuid, sealed), "pw");
}

TEST(HostSecret, MissingKeyIsNotCreatedByLoadIfPresent) {
  TempDir dir;
  EXPECT_FALSE(HostSecret::loadIfPresent(dir / "secret.key"));
  EXPECT_FALSE(std::filesystem::exists(dir / "secret.key"));
}

TEST(HostSecret, GroupReadableKeyIsRefused) {
  TempDir dir;
  HostSecret::loadOrCreate(dir / "secret.key");
  ::chmod((dir / "secret.key").c_str(), 0640);
  try {
    HostSecret::loadIfPresent(dir / "secret.key");
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()),
              (dir / "secret.key").string() + ": readable by group or others (mode 640); chmod 600 it");
  }
}

TEST(HostSecret, PasswordSealedForOneDomainDoesNotOpenForAnother) {
  TempDir dir;
  HostSecret secret = HostSecret::loadOrCreate(dir / "secret.key");
  std::string sealed = secret.sealPassword(kTestUuid, "pw");
  EXPECT_EQ(secret.openPassword("00000000-0000-0000-0000-000000000001", sealed), std::nullopt);
}

TEST(HostSecret, AnotherHostsKeyDoesNotOpen) {
  TempDir a, b;
  std::string sealed = HostSecret::loadOrCreate(a / "secret.key").sealPassword(kTestUuid, "pw");
  EXPECT_EQ(HostSecret::loadOrCreate(b / "secret.key").openPassword(kTestUuid, sealed), std::nullopt);
}

TEST(HostSecret, CopiedKeyOpensOnAnotherHost) {
  TempDir a, b;
  std::string sealed = HostSecret::loadOrCreate(a / "secret.key").sealPassword(kTestUuid, "pw");
  std::filesystem::copy_file(a / "secret.key", b / "secret.key");
  EXPECT_EQ(HostSecret::loadIfPresent(b / "secret.key")->openPassword(kTestUuid, sealed), "pw");
}

}  // namespace
}  // namespace vcd
