#include "cli/command_line.h"

#include <gtest/gtest.h>

namespace vcd {
namespace {

const std::vector<OptionReference> kOptions = {
    {.name = "--domain-xml", .value = "FILE"},
    {.name = "--output", .alias = "-o", .value = "OUT.iso"},
    {.name = "--json"},
    {.name = "--bus", .value = "ide|sata", .choices = {"ide", "sata"}},
};

TEST(CommandLine, SplitsValuesFlagsAndOperands) {
  ParsedArguments parsed = parseArguments({"disk.iso", "--json", "--domain-xml", "a.xml", "-o", "out.iso"}, kOptions);
  EXPECT_EQ(parsed.operands, std::vector<std::string>{"disk.iso"});
  EXPECT_TRUE(parsed.has("--json"));
  EXPECT_EQ(parsed.value("--domain-xml"), "a.xml");
  EXPECT_EQ(parsed.value("--output"), "out.iso");
}

TEST(CommandLine, AcceptsInlineValues) {
  EXPECT_EQ(parseArguments({"--domain-xml=a.xml"}, kOptions).value("--domain-xml"), "a.xml");
  EXPECT_EQ(parseArguments({"--domain-xml=a=b.xml"}, kOptions).value("--domain-xml"), "a=b.xml");
}

TEST(CommandLine, UnknownOptionIsAUsageError) {
  EXPECT_THROW(parseArguments({"--jsn"}, kOptions), UsageError);
  EXPECT_THROW(parseArguments({"-x"}, kOptions), UsageError);
  EXPECT_THROW(parseArguments({"--json=yes"}, kOptions), UsageError);
}

TEST(CommandLine, MissingValueIsAUsageError) { EXPECT_THROW(parseArguments({"--domain-xml"}, kOptions), UsageError); }

TEST(CommandLine, RepeatedSingleValueIsAUsageError) {
  ParsedArguments parsed = parseArguments({"-o", "a", "-o", "b"}, kOptions);
  EXPECT_THROW(parsed.value("--output"), UsageError);
}

TEST(CommandLine, AValueOutsideTheChoicesIsAUsageErrorNamingThem) {
  EXPECT_EQ(parseArguments({"--bus", "sata"}, kOptions).value("--bus"), "sata");
  try {
    parseArguments({"--bus=virtio"}, kOptions);
    FAIL() << "no error";
  } catch (const UsageError& error) {
    EXPECT_STREQ(error.what(), "--bus takes ide or sata, not 'virtio'");
  }
}

TEST(CommandLine, DoubleDashEndsTheOptions) {
  ParsedArguments parsed = parseArguments({"--json", "--", "--json", "-o", "-"}, kOptions);
  EXPECT_EQ(parsed.flags, std::set<std::string>{"--json"});
  EXPECT_EQ(parsed.operands, (std::vector<std::string>{"--json", "-o", "-"}));
  EXPECT_EQ(parseArguments({"-"}, kOptions).operands, std::vector<std::string>{"-"});
}

TEST(CommandLine, TheFirstOperandCanEndTheOptions) {
  ParsedArguments parsed = parseArguments({"-o", "x", "show", "--json", "web"}, kOptions, OptionsEnd::FirstOperand);
  EXPECT_EQ(parsed.value("--output"), "x");
  EXPECT_EQ(parsed.operands, (std::vector<std::string>{"show", "--json", "web"}));
}

}  // namespace
}  // namespace vcd
