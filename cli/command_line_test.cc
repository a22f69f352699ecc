#include "cli/command_line.h"

#include <gtest/gtest.h>

namespace vcd {
namespace {

TEST(CommandLine, SplitsValuesFlagsAndOperands) {
  ParsedArguments parsed = parseArguments({"disk.iso", "--json", "--domain-xml", "a.xml", "-o", "out.iso"},
                                          {"--domain-xml", "--output"}, {"--json"});
  EXPECT_EQ(parsed.operands, std::vector<std::string>{"disk.iso"});
  EXPECT_TRUE(parsed.has("--json"));
  EXPECT_EQ(parsed.value("--domain-xml"), "a.xml");
  EXPECT_EQ(parsed.value("--output"), "out.iso");
}

TEST(CommandLine, AcceptsInlineValues) {
  EXPECT_EQ(parseArguments({"--domain-xml=a.xml"}, {"--domain-xml"}, {}).value("--domain-xml"), "a.xml");
}

TEST(CommandLine, UnknownOptionIsAUsageError) { EXPECT_THROW(parseArguments({"--jsn"}, {}, {"--json"}), UsageError); }

TEST(CommandLine, MissingValueIsAUsageError) {
  EXPECT_THROW(parseArguments({"--domain-xml"}, {"--domain-xml"}, {}), UsageError);
}

TEST(CommandLine, RepeatedSingleValueIsAUsageError) {
  ParsedArguments parsed = parseArguments({"-o", "a", "-o", "b"}, {"--output"}, {});
  EXPECT_THROW(parsed.value("--output"), UsageError);
}

}  // namespace
}  // namespace vcd
