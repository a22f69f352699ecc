#include "host/host_secret.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/test_support.h"
#include "util/aead.h"
#include "util/base64.h"
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
  SealedPassword sealed = HostSecret::loadOrCreate(dir / "secret.key").sealPassword(kTestUuid, "pw");
  EXPECT_EQ(HostSecret::loadOrCreate(dir / "secret.key").openPassword(kTestUuid, sealed)->password, "pw");
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

TEST(HostSecret, AKeyWithASecondLinkOrOfAnotherUserIsRefused) {
  TempDir dir;
  HostSecret::loadOrCreate(dir / "secret.key");
  std::filesystem::create_hard_link(dir / "secret.key", dir / "stolen.key");
  try {
    HostSecret::loadOrCreate(dir / "secret.key");
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find((dir / "secret.key").string() + ": has 2 links"), std::string::npos)
        << error.what();
  }
  std::filesystem::remove(dir / "stolen.key");
  ASSERT_EQ(::chown((dir / "secret.key").c_str(), 65534, 65534), 0);
  EXPECT_THROW(HostSecret::loadIfPresent(dir / "secret.key"), Error);
}

TEST(HostSecret, PasswordSealedForOneDomainDoesNotOpenForAnother) {
  TempDir dir;
  HostSecret secret = HostSecret::loadOrCreate(dir / "secret.key");
  SealedPassword sealed = secret.sealPassword(kTestUuid, "pw");
  EXPECT_EQ(secret.openPassword("00000000-0000-0000-0000-000000000001", sealed), std::nullopt);
}

TEST(HostSecret, AnotherHostsKeyDoesNotOpen) {
  TempDir a, b;
  SealedPassword sealed = HostSecret::loadOrCreate(a / "secret.key").sealPassword(kTestUuid, "pw");
  EXPECT_EQ(HostSecret::loadOrCreate(b / "secret.key").openPassword(kTestUuid, sealed), std::nullopt);
}

TEST(HostSecret, CopiedKeyOpensOnAnotherHost) {
  TempDir a, b;
  SealedPassword sealed = HostSecret::loadOrCreate(a / "secret.key").sealPassword(kTestUuid, "pw");
  std::filesystem::copy_file(a / "secret.key", b / "secret.key");
  EXPECT_EQ(HostSecret::loadIfPresent(b / "secret.key")->openPassword(kTestUuid, sealed)->password, "pw");
}

TEST(HostSecret, EverySealingDrawsANewSaltSealedWithThePassword) {
  TempDir dir;
  HostSecret secret = HostSecret::loadOrCreate(dir / "secret.key");
  SealedPassword first = secret.sealPassword(kTestUuid, "pw");
  SealedPassword second = secret.sealPassword(kTestUuid, "pw");
  EXPECT_EQ(first.scheme, "v2");
  std::optional<OpenedPassword> a = secret.openPassword(kTestUuid, first);
  std::optional<OpenedPassword> b = secret.openPassword(kTestUuid, second);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->password, "pw");
  EXPECT_EQ(b->password, "pw");
  ASSERT_TRUE(a->salt && b->salt);
  EXPECT_EQ(a->salt->size(), kPasswordSaltBytes);
  EXPECT_NE(a->salt, b->salt) << "the same password set again gets another salt";
  EXPECT_EQ(secret.openPassword(kTestUuid, first), a) << "the same sealed value, the same salt";
}

TEST(HostSecret, AnEarlierReleasesSealedPasswordOpensWithoutASalt) {
  TempDir dir;
  HostSecret secret = HostSecret::loadOrCreate(dir / "secret.key");
  // How earlier releases sealed it: the password alone, under the v1 context.
  std::string key = readFile(dir / "secret.key", 64);
  SealedPassword v1{"v1", encodeBase64(seal(key, std::string("virt-configdrive password v1 ") + kTestUuid, "old"))};
  EXPECT_EQ(secret.openPassword(kTestUuid, v1), (OpenedPassword{"old", std::nullopt}));
  EXPECT_EQ(secret.openPassword(kTestUuid, SealedPassword{"v2", v1.text}), std::nullopt)
      << "a value of one scheme never opens as the other";
}

}  // namespace
}  // namespace vcd
