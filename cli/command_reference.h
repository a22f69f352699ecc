// What each CLI command takes and does, written once: `--help`, the man page, bash completion and the options the
// parser accepts all come from here, so that none of them can drift from the others.
#pragma once

#include <string>
#include <vector>

#include "cli/command_line.h"

namespace vcd {

// What the command's operand is, for completion.
enum class Operand { None, Domain, Iso };

// Each command, for main's dispatch (a switch: the compiler says when one has no case).
enum class CommandId { Enable, Update, Watch, Show, Status, KnownHosts, Disable, Build, Inspect, Doctor };

struct CommandReference {
  CommandId id = CommandId::Enable;
  std::string name = {};
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
ParsedArguments parseCommandArguments(const std::string& command, const std::vector<std::string>& args);

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
