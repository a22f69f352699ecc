#include "util/aead.h"

#include <gtest/gtest.h>

namespace vcd {
namespace {

TEST(Aead, OpensWhatItSealed) {
  std::string key = randomKey();
  EXPECT_EQ(open(key, "ctx", seal(key, "ctx", "hunter2")), std::optional<std::string>("hunter2"));
}

// The GCM specification's test case 14 (McGrew and Viega; also in NIST's GCM test vectors): AES-256, zero key,
// zero 96-bit IV, one zero block. Sealed bytes are IV ‖ ciphertext ‖ tag, as every earlier version wrote them.
TEST(Aead, OpensTheSpecificationsTestVector) {
  auto bytes = [](const char* hex) {
    std::string out;
    for (std::size_t i = 0; hex[i] != '\0'; i += 2)
      out += static_cast<char>(std::stoi(std::string(hex + i, 2), nullptr, 16));
    return out;
  };
  std::string sealed =
      std::string(12, '\0') + bytes("cea7403d4d606b6e074ec5d3baf39d18") + bytes("d0d1c8a799996bf0265b98b5d48ab919");
  EXPECT_EQ(open(std::string(32, '\0'), "", sealed), std::optional<std::string>(std::string(16, '\0')));
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
