#include "util/json_text.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace vcd {
namespace {

std::string nested(std::size_t levels) { return std::string(levels, '[') + std::string(levels, ']'); }

TEST(JsonText, DeepNestingIsRefusedNotACrash) {
  std::string why;
  for (std::size_t levels : {65u, 100000u, 1000000u}) {
    EXPECT_FALSE(parseJson(R"({"cloud-init": "x", "a": )" + nested(levels) + "}", why)) << levels;
    EXPECT_EQ(why, "nests deeper than 64 levels");
  }
  std::optional<nlohmann::json> deepest = parseJson(nested(kMaxJsonDepth), why);
  ASSERT_TRUE(deepest);
  EXPECT_EQ(deepest->dump(), nested(kMaxJsonDepth));
}

TEST(JsonText, TextThatIsNoJsonSaysSo) {
  std::string why;
  EXPECT_FALSE(parseJson("{oops", why));
  EXPECT_EQ(why, kNotJson);
  EXPECT_FALSE(parseJson("\"\xff\"", why)) << "JSON text is UTF-8";
  EXPECT_EQ(why, kNotJson);
}

TEST(JsonText, DumpingAStringThatIsNotUtf8IsAnErrorNotAnAbort) {
  nlohmann::json value = {{"uuid", "6f1c3b0e\xff"}};
  try {
    dumpJson(value, "meta_data.json");
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(), "meta_data.json: holds a string that is not valid UTF-8");
  }
  EXPECT_EQ(dumpJsonForDisplay(value), "{\"uuid\":\"6f1c3b0e\xef\xbf\xbd\"}");
}

}  // namespace
}  // namespace vcd
