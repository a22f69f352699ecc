// What each CLI command takes and does, written once as a row {name, arguments, function}: the parser, main's
// dispatch, `--help`, the man page and bash completion all come from here, so that none of them can drift from the
// others. A new command is one row and one function.
#pragma once

#include <string>
#include <vector>

#include "cli/command_line.h"
#include "cli/commands.h"

namespace vcd {

// What the command's operand is, for completion.
enum class Operand { None, Domain, Iso };

// A command's function: its arguments as its reference parsed them; returns the exit status.
using CommandFunction = int (*)(const ParsedArguments& args, const CommandContext& context);

struct CommandReference {
  std::string name = {};
  CommandFunction run = nullptr;
  std::string synopsis = {};                  // what follows "virt-configdrive [-c URI] "
  std::string summary = {};                   // one line, for the overview
  std::string description = {};               // a paragraph
  std::vector<OptionReference> options = {};  // its own
  bool dataOptions = false;                   // also takes the data options
  Operand operand = Operand::None;
};

struct ManualSection {
  std::string title;
  std::vector<std::string> paragraphs;
};

const std::vector<CommandReference>& commandReferences();
const std::vector<OptionReference>& dataOptionReferences();
const std::vector<OptionReference>& globalOptionReferences();  // -c/--connect, --help, --version
// The man page's sections beyond SYNOPSIS and the commands: DESCRIPTION, FILES, EXIT STATUS, SEE ALSO…
const std::vector<ManualSection>& manualSections();

// The command of that name; nullptr when there is none.
const CommandReference* findCommand(const std::string& name);

// Every option the command accepts, its own and (when it takes them) the data options.
std::vector<OptionReference> optionsOf(const CommandReference& command);

// Parses a command's arguments against the options its reference lists. Throws UsageError on anything else.
ParsedArguments parseCommandArguments(const CommandReference& command, const std::vector<std::string>& args);
ParsedArguments parseCommandArguments(const std::string& command, const std::vector<std::string>& args);

// The command run with its arguments parsed: what main does with the command line's command.
int runCommand(const CommandReference& command, const std::vector<std::string>& args, const CommandContext& context);

// The whole command line: the global options (-c/--connect, --help, --version), then the command and its
// arguments (unparsed: the command parses them). Throws UsageError on an unknown global option.
struct CommandLine {
  ParsedArguments global;
  const CommandReference* command = nullptr;  // nullptr when none is named
  std::vector<std::string> commandArgs;
};
CommandLine splitCommandLine(const std::vector<std::string>& args);

std::string overviewHelp();                                // virt-configdrive --help
std::string commandHelp(const CommandReference& command);  // virt-configdrive COMMAND --help

}  // namespace vcd
