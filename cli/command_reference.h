// What each CLI command takes and does, written once: `--help`, the man page, bash completion and the options the
// parser accepts all come from here, so that none of them can drift from the others.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "cli/command_line.h"

namespace vcd {

// What an option's value is, for completion.
enum class ValueKind { None, File, Word };

struct OptionReference {
  std::string name = {};   // "--user-data"
  std::string alias = {};  // "-o", or ""
  std::string value = {};  // "FILE|-"; "" for a flag
  std::string text = {};   // what it does, one sentence or two
  ValueKind kind = ValueKind::None;
  std::vector<std::string> choices = {};  // the only values it takes, when there are few
};

// What the command's operand is, for completion.
enum class Operand { None, Domain, Iso };

struct CommandReference {
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

std::string overviewHelp();                                // virt-configdrive --help
std::string commandHelp(const CommandReference& command);  // virt-configdrive COMMAND --help

}  // namespace vcd
