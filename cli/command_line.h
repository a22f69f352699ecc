// The CLI's command line: COMMAND, its options and operands, parsed without knowing what they mean.
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

struct ParsedArguments {
  std::map<std::string, std::vector<std::string>> values;  // "--domain-xml" → {"a.xml"}
  std::set<std::string> flags;                             // "--json"
  std::vector<std::string> operands;

  // The single value of an option, or "" when absent; UsageError when given twice.
  std::string value(const std::string& option) const;
  bool has(const std::string& flag) const { return flags.count(flag) != 0; }
};

// Parses args against the options that take a value and the flags a command accepts. "-o" is an alias of
// "--output". Throws UsageError on anything unknown.
ParsedArguments parseArguments(const std::vector<std::string>& args, const std::set<std::string>& valueOptions,
                               const std::set<std::string>& flagOptions);

}  // namespace vcd
