// The CLI's command line: the options a command takes, as the command reference lists them, and the one parser
// that reads arguments against them.
#pragma once

#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace vcd {

// A usage mistake: main prints it and exits 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// What an option's value is, for completion.
enum class ValueKind { None, File, Word };

struct OptionReference {
  std::string name = {};   // "--user-data"
  std::string alias = {};  // "-o", or ""
  std::string value = {};  // "FILE|-"; "" for a flag
  std::string text = {};   // what it does, one sentence or two
  ValueKind kind = ValueKind::None;
  std::vector<std::string> choices = {};  // the only values it takes, when there are few
  bool valueOptional = false;             // given as --name or --name=VALUE, never with VALUE as the next argument
};

struct ParsedArguments {
  std::map<std::string, std::vector<std::string>> values;  // "--domain-xml" → {"a.xml"}
  std::set<std::string> flags;                             // "--json"
  std::vector<std::string> operands;

  // The single value of an option, or "" when absent; UsageError when given twice.
  std::string value(const std::string& option) const;
  bool has(const std::string& flag) const { return flags.count(flag) != 0; }
};

// Where the options end: at "--" always; with FirstOperand also at the first operand, which with everything after
// it goes to operands unread (the global options before the command).
enum class OptionsEnd { DoubleDash, FirstOperand };

// Parses args against `options`: --name VALUE, --name=VALUE, an alias (-o VALUE), a flag (--json). Each option is
// known by its name. "-" alone is an operand (stdin). Throws UsageError on an unknown option, a missing value, a
// value given to a flag, and a value outside an option's choices.
ParsedArguments parseArguments(const std::vector<std::string>& args, const std::vector<OptionReference>& options,
                               OptionsEnd end = OptionsEnd::DoubleDash);

}  // namespace vcd
