#include "util/uuid.h"

#include <gtest/gtest.h>

#include <regex>

namespace vcd {
namespace {

TEST(Uuid, IsARandomVersion4UuidInLowerCase) {
  std::string uuid = randomUuid();
  EXPECT_TRUE(std::regex_match(uuid, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << uuid;
}

TEST(Uuid, TwoAreNeverTheSame) { EXPECT_NE(randomUuid(), randomUuid()); }

}  // namespace
}  // namespace vcd
