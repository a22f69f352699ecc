#include "util/aead.h"

#include <gtest/gtest.h>

namespace vcd {
namespace {

TEST(Aead, OpensWhatItSealed) {
  std::string key = randomKey();
  EXPECT_EQ(open(key, "ctx", seal(key, "ctx", "hunter2")), std::optional<std::string>("hunter2"));
}

TEST(Aead, SealingTwiceGivesDifferentBytes) {
  std::string key = randomKey();
  EXPECT_NE(seal(key, "ctx", "same"), seal(key, "ctx", "same"));
}

TEST(Aead, AnotherKeyDoesNotOpen) {
  std::string sealed = seal(randomKey(), "ctx", "hunter2");
  EXPECT_EQ(open(randomKey(), "ctx", sealed), std::nullopt);
}

TEST(Aead, AnotherContextDoesNotOpen) {
  std::string key = randomKey();
  EXPECT_EQ(open(key, "other", seal(key, "ctx", "hunter2")), std::nullopt);
}

TEST(Aead, AlteredBytesDoNotOpen) {
  std::string key = randomKey();
  std::string sealed = seal(key, "ctx", "hunter2");
  sealed[sealed.size() / 2] ^= 1;
  EXPECT_EQ(open(key, "ctx", sealed), std::nullopt);
  EXPECT_EQ(open(key, "ctx", "short"), std::nullopt);
}

TEST(Aead, SealedTextDoesNotContainThePlaintext) {
  std::string key = randomKey();
  EXPECT_EQ(seal(key, "ctx", "correct horse battery").find("correct horse"), std::string::npos);
}

}  // namespace
}  // namespace vcd
