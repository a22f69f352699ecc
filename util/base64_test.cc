#include "util/base64.h"

#include <gtest/gtest.h>

namespace vcd {
namespace {

TEST(Base64, DecodesTextWrappedAcrossLines) {
  EXPECT_EQ(decodeBase64("I2Nsb3Vk\n  LWNvbmZp\tZwo="), std::optional<std::string>("#cloud-config\n"));
}

TEST(Base64, DecodesBinaryBytes) {
  EXPECT_EQ(decodeBase64("AAH/"), std::optional<std::string>(std::string("\x00\x01\xff", 3)));
}

TEST(Base64, RejectsCharactersOutsideTheAlphabet) { EXPECT_EQ(decodeBase64("I2Nsb3V*"), std::nullopt); }

TEST(Base64, RejectsTruncatedText) { EXPECT_EQ(decodeBase64("I2Nsb3V"), std::nullopt); }

TEST(Base64, RejectsPaddingAnywhereButTheEnd) {
  EXPECT_EQ(decodeBase64("QQ=="), std::optional<std::string>("A"));
  EXPECT_EQ(decodeBase64("QQ==QQ=="), std::nullopt);
  EXPECT_EQ(decodeBase64("Q==="), std::nullopt);
}

TEST(Base64, EncodingRoundTrips) {
  std::string bytes("\x00\x10\x80\xffpassword", 12);
  EXPECT_EQ(decodeBase64(encodeBase64(bytes)), std::optional<std::string>(bytes));
}

}  // namespace
}  // namespace vcd
