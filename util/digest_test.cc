#include "util/digest.h"

#include <gtest/gtest.h>

namespace vcd {
namespace {

// Published test vectors (FIPS 180-2, RFC 1321).
TEST(Digest, Sha256OfAbc) {
  EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Digest, Md5OfMessageDigest) { EXPECT_EQ(md5Hex("message digest"), "f96b697d7cb7938d525a2f31aaf161d0"); }

}  // namespace
}  // namespace vcd
