// The CLI's command line: COMMAND, its options and operands, parsed without knowing what they mean.
#include "cli/command_line.h"

namespace vcd {

std::string ParsedArguments::value(const std::string& option) const {
  auto found = values.find(option);
  if (found == values.end()) return std::string();
  if (found->second.size() > 1) throw UsageError(option + " given more than once");
  return found->second.front();
}

ParsedArguments parseArguments(const std::vector<std::string>& args, const std::set<std::string>& valueOptions,
                               const std::set<std::string>& flagOptions) {
  ParsedArguments parsed;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i] == "-o" ? "--output" : args[i];
    if (arg.size() < 2 || arg.rfind("--", 0) != 0) {
      parsed.operands.push_back(args[i]);
      continue;
    }
    std::string inlineValue;
    bool hasInlineValue = false;
    if (std::size_t equals = arg.find('='); equals != std::string::npos) {
      inlineValue = arg.substr(equals + 1);
      arg = arg.substr(0, equals);
      hasInlineValue = true;
    }
    if (valueOptions.count(arg)) {
      if (!hasInlineValue && i + 1 >= args.size()) throw UsageError(arg + " needs a value");
      parsed.values[arg].push_back(hasInlineValue ? inlineValue : args[++i]);
    } else if (flagOptions.count(arg) && !hasInlineValue) {
      parsed.flags.insert(arg);
    } else {
      throw UsageError("unknown option " + args[i]);
    }
  }
  return parsed;
}

}  // namespace vcd
