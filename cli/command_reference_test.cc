#include "cli/command_reference.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "host/host_config.h"

namespace vcd {
namespace {

TEST(CommandReference, TheParserAcceptsEveryOptionACommandsHelpLists) {
  for (const CommandReference& command : commandReferences()) {
    for (const OptionReference& option : optionsOf(command)) {
      std::string value = option.choices.empty() ? "value" : option.choices.back();
      // An optional value comes only as --name=VALUE.
      std::vector<std::string> args{option.valueOptional ? option.name + "=" + value : option.name};
      if (!option.value.empty() && !option.valueOptional) args.push_back(value);
      ParsedArguments parsed = parseCommandArguments(command.name, args);
      EXPECT_TRUE(option.value.empty() ? parsed.has(option.name) : parsed.value(option.name) == value)
          << command.name << " " << option.name;
      EXPECT_NE(commandHelp(command).find(option.name), std::string::npos) << command.name << " " << option.name;
    }
  }
}

// The man page's FILES names the keys of config.json in its own words: they must be the keys the host reads.
TEST(CommandReference, TheManPageNamesEveryConfigJsonKeyAndNoOther) {
  std::vector<std::string> listed;
  for (const ManualSection& section : manualSections()) {
    for (const std::string& paragraph : section.paragraphs) {
      if (paragraph.rfind("/etc/virt-configdrive/config.json: ", 0) != 0) continue;
      std::size_t open = paragraph.find('('), close = paragraph.find(')', open);
      ASSERT_NE(close, std::string::npos) << paragraph;
      std::istringstream keys(paragraph.substr(open + 1, close - open - 1));
      for (std::string key; std::getline(keys >> std::ws, key, ',');) listed.push_back(key);
    }
  }
  std::vector<std::string> read = hostConfigKeys();
  std::sort(listed.begin(), listed.end());
  std::sort(read.begin(), read.end());
  EXPECT_EQ(listed, read);
}

TEST(CommandReference, AnOptionalValueIsNeverTheNextWord) {
  ParsedArguments bare = parseCommandArguments("update", {"--wait", "web1"});
  EXPECT_EQ(bare.value("--wait"), "") << "given, with its default";
  EXPECT_EQ(bare.operands, std::vector<std::string>{"web1"});
  EXPECT_EQ(parseCommandArguments("update", {"web1", "--wait=30"}).value("--wait"), "30");
  EXPECT_EQ(parseCommandArguments("update", {"web1"}).values.count("--wait"), 0u);
  EXPECT_NE(commandHelp(*findCommand("update")).find("--wait[=SECONDS]"), std::string::npos);
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

TEST(CommandReference, TheChoicesItListsAreTheOnlyValuesTaken) {
  EXPECT_EQ(parseCommandArguments("enable", {"web", "--bus", "scsi"}).value("--bus"), "scsi");
  EXPECT_THROW(parseCommandArguments("enable", {"web", "--bus", "virtio"}), UsageError);
  EXPECT_THROW(parseCommandArguments("update", {"web", "--os", "beos"}), UsageError);
}

TEST(CommandReference, TheCommandLineIsGlobalOptionsThenACommand) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"-c", "test:///default", "show", "web"},
                                             {"--connect", "test:///default", "show", "web"},
                                             {"--connect=test:///default", "show", "web"}}) {
    CommandLine line = splitCommandLine(args);
    EXPECT_EQ(line.global.value("--connect"), "test:///default");
    ASSERT_NE(line.command, nullptr);
    EXPECT_EQ(line.command->run, &runShow);
    EXPECT_EQ(line.commandArgs, std::vector<std::string>{"web"});
  }
  EXPECT_EQ(splitCommandLine({}).command, nullptr);
  EXPECT_TRUE(splitCommandLine({"--version"}).global.has("--version"));
  EXPECT_THROW(splitCommandLine({"reboot", "web"}), UsageError);
  EXPECT_THROW(splitCommandLine({"--connect"}), UsageError);
  EXPECT_THROW(splitCommandLine({"--json", "show"}), UsageError);
}

TEST(CommandReference, EveryCommandHasAFunctionOfItsOwn) {
  std::set<CommandFunction> functions;
  for (const CommandReference& command : commandReferences()) {
    EXPECT_NE(command.run, nullptr) << command.name;
    EXPECT_TRUE(functions.insert(command.run).second) << command.name;
  }
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
