// The CLI's command line: the one parser, reading arguments against a command's options.
#include "cli/command_line.h"

#include <algorithm>

namespace vcd {

namespace {

const OptionReference* findOption(const std::vector<OptionReference>& options, const std::string& word) {
  for (const OptionReference& option : options) {
    if (option.name == word || (!option.alias.empty() && option.alias == word)) return &option;
  }
  return nullptr;
}

std::string choiceList(const std::vector<std::string>& choices) {
  std::string out;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == choices.size() ? " or " : ", ") + choices[i];
  }
  return out;
}

}  // namespace

std::string ParsedArguments::value(const std::string& option) const {
  auto found = values.find(option);
  if (found == values.end()) return std::string();
  if (found->second.size() > 1) throw UsageError(option + " given more than once");
  return found->second.front();
}

ParsedArguments parseArguments(const std::vector<std::string>& args, const std::vector<OptionReference>& options,
                               OptionsEnd end) {
  ParsedArguments parsed;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    bool option = arg.size() >= 2 && arg.front() == '-';
    if (arg == "--" || (!option && end == OptionsEnd::FirstOperand)) {
      parsed.operands.insert(parsed.operands.end(), args.begin() + static_cast<long>(i + (arg == "--")), args.end());
      break;
    }
    if (!option) {
      parsed.operands.push_back(arg);
      continue;
    }
    std::size_t equals = arg.rfind("--", 0) == 0 ? arg.find('=') : std::string::npos;
    std::string word = arg.substr(0, equals);
    const OptionReference* known = findOption(options, word);
    if (known == nullptr) throw UsageError("unknown option " + arg);
    if (known->value.empty()) {
      if (equals != std::string::npos) throw UsageError(known->name + " takes no value");
      parsed.flags.insert(known->name);
      continue;
    }
    if (known->valueOptional && equals == std::string::npos) {
      parsed.values[known->name].push_back("");  // the option's default
      continue;
    }
    if (equals == std::string::npos && i + 1 >= args.size()) throw UsageError(known->name + " needs a value");
    std::string value = equals != std::string::npos ? arg.substr(equals + 1) : args[++i];
    if (!known->choices.empty() &&
        std::find(known->choices.begin(), known->choices.end(), value) == known->choices.end()) {
      throw UsageError(known->name + " takes " + choiceList(known->choices) + ", not '" + value + "'");
    }
    parsed.values[known->name].push_back(value);
  }
  return parsed;
}

}  // namespace vcd
