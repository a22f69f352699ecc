#include "util/password_hash.h"

#include <gtest/gtest.h>

#include <string>

#include "util/error.h"

namespace vcd {
namespace {

const std::string kSalt(16, '\x5a');

TEST(PasswordHash, IsSha512CryptThatTheClearTextMatches) {
  std::string hash = sha512CryptHash("s3cret", kSalt);
  EXPECT_EQ(hash.rfind("$6$", 0), 0u) << hash;
  EXPECT_TRUE(cryptHashMatches("s3cret", hash));
  EXPECT_FALSE(cryptHashMatches("s3cret ", hash));
  EXPECT_FALSE(cryptHashMatches("other", hash));
}

TEST(PasswordHash, SameSaltBytesGiveTheSameHashOtherBytesAnother) {
  EXPECT_EQ(sha512CryptHash("s3cret", kSalt), sha512CryptHash("s3cret", kSalt));
  EXPECT_NE(sha512CryptHash("s3cret", kSalt), sha512CryptHash("s3cret", std::string(16, '\x01')));
}

TEST(PasswordHash, KnownVector) {
  // glibc's and libxcrypt's SHA-512 crypt test vector (Drepper's specification): salt "saltstring".
  char setting[] = "$6$saltstring";
  EXPECT_TRUE(cryptHashMatches("Hello world!", std::string(setting) +
                                                   "$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJu"
                                                   "esI68u4OTLiBFdcbYEdFCoEOfaS35inz1"));
}

TEST(PasswordHash, RefusesAPasswordWithANul) {
  EXPECT_THROW(sha512CryptHash(std::string("a\0b", 3), kSalt), Error);
  EXPECT_FALSE(cryptHashMatches(std::string("a\0b", 3), sha512CryptHash("a", kSalt)));
}

}  // namespace
}  // namespace vcd
