#include "util/text.h"

#include <gtest/gtest.h>

namespace vcd {
namespace {

TEST(Text, Utf8IsValidatedAsTheStandardSays) {
  EXPECT_TRUE(isValidUtf8("plain ascii"));
  EXPECT_TRUE(isValidUtf8("z\xc3\xbcrich \xe2\x82\xac \xf0\x9f\x98\x80"));  // ü € 😀
  EXPECT_FALSE(isValidUtf8("6f1c3b0e\xff"));
  EXPECT_FALSE(isValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(isValidUtf8("\xed\xa0\x80"));      // a surrogate
  EXPECT_FALSE(isValidUtf8("\xf4\x90\x80\x80"));  // beyond U+10FFFF
  EXPECT_FALSE(isValidUtf8("\xe2\x82"));          // cut short
}

TEST(Text, APrintableLineCannotForgeAnotherLine) {
  EXPECT_EQ(printableLine("web1\nvirt-configdrive: forged\r"), "web1 virt-configdrive: forged ");
  EXPECT_EQ(printableLine("\x1b[31mred\x07"), "\\x1b[31mred\\x07");
  EXPECT_EQ(printableLine("id\xff"), "id\\xff");
  EXPECT_EQ(printableLine("z\xc3\xbcrich"), "z\xc3\xbcrich");
}

TEST(Text, JoinedPutsTheSeparatorBetweenEachTwoWords) {
  EXPECT_EQ(joined({}, ", "), "");
  EXPECT_EQ(joined({"ide"}, "|"), "ide");
  EXPECT_EQ(joined({"ide", "sata", "scsi"}, "|"), "ide|sata|scsi");
  EXPECT_EQ(joined({"", "b"}, ","), ",b") << "an empty word keeps its place";
}

TEST(Text, LowerHexGivesTwoDigitsPerByte) {
  EXPECT_EQ(lowerHex(std::string("\x00\xff\x0a\x9c", 4)), "00ff0a9c");
  EXPECT_EQ(lowerHex(""), "");
}

TEST(Text, APrintableLineIsBounded) {
  std::string line = printableLine(std::string(1 << 20, 'x'));
  EXPECT_EQ(line, std::string(kMaxLineBytes, 'x') + "…[" + std::to_string((1 << 20) - kMaxLineBytes) + " more bytes]");
  EXPECT_LT(printableLine(std::string(1 << 20, '\x1b')).size(), kMaxLineBytes + 40);
}

}  // namespace
}  // namespace vcd
