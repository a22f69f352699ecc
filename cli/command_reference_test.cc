#include "cli/command_reference.h"

#include <gtest/gtest.h>

namespace vcd {
namespace {

TEST(CommandReference, TheParserAcceptsEveryOptionACommandsHelpLists) {
  for (const CommandReference& command : commandReferences()) {
    for (const OptionReference& option : optionsOf(command)) {
      std::vector<std::string> args{option.name};
      if (!option.value.empty()) args.push_back("value");
      ParsedArguments parsed = parseCommandArguments(command.name, args);
      EXPECT_TRUE(option.value.empty() ? parsed.has(option.name) : parsed.value(option.name) == "value")
          << command.name << " " << option.name;
      EXPECT_NE(commandHelp(command).find(option.name), std::string::npos) << command.name << " " << option.name;
    }
  }
}

TEST(CommandReference, TheParserRefusesAnotherCommandsOption) {
  EXPECT_THROW(parseCommandArguments("show", {"--force"}), UsageError);
  EXPECT_THROW(parseCommandArguments("disable", {"--user-data", "x"}), UsageError);
  EXPECT_THROW(parseCommandArguments("doctor", {"--json"}), UsageError);
  EXPECT_THROW(parseCommandArguments("no-such-command", {}), UsageError);
}

TEST(CommandReference, AliasesReachTheirOption) {
  EXPECT_EQ(parseCommandArguments("build", {"-o", "out.iso"}).value("--output"), "out.iso");
}

TEST(CommandReference, TheOverviewListsEveryCommand) {
  std::string overview = overviewHelp();
  for (const CommandReference& command : commandReferences()) {
    EXPECT_NE(overview.find("\n  " + command.name + " "), std::string::npos) << command.name;
    EXPECT_EQ(findCommand(command.name), &command);
  }
  EXPECT_EQ(findCommand("reboot"), nullptr);
}

TEST(CommandReference, HelpLinesStayWithinEightyColumns) {
  std::string all = overviewHelp();
  for (const CommandReference& command : commandReferences()) all += commandHelp(command);
  std::size_t start = 0;
  for (std::size_t end; (end = all.find('\n', start)) != std::string::npos; start = end + 1) {
    std::string line = all.substr(start, end - start);
    if (line.rfind("usage: ", 0) == 0) continue;  // a synopsis is never broken
    EXPECT_LE(line.size(), 80u) << line;
  }
}

}  // namespace
}  // namespace vcd
