// The bash completion of virt-configdrive, rendered from the command reference.
#include "cli/bash_completion.h"

#include <set>

#include "cli/command_reference.h"
#include "util/text.h"

namespace vcd {

namespace {

// `case "$prev"` arms: what follows each option that takes a value.
std::string valueCases() {
  std::vector<OptionReference> options = globalOptionReferences();
  for (const CommandReference& command : commandReferences()) {
    for (const OptionReference& option : optionsOf(command)) options.push_back(option);
  }
  std::vector<std::string> files, words;
  std::set<std::string> seen;
  std::string out;
  for (const OptionReference& option : options) {
    // An optional value is only ever given as --name=VALUE: the word after it is not its value.
    if (option.value.empty() || option.valueOptional || !seen.insert(option.name).second) continue;
    std::string names = option.name + (option.alias.empty() ? "" : "|" + option.alias);
    if (!option.choices.empty()) {
      out += "        " + names + ") COMPREPLY=($(compgen -W \"" + joined(option.choices, " ") +
             "\" -- \"$cur\")); return ;;\n";
    } else {
      (option.kind == ValueKind::File ? files : words).push_back(names);
    }
  }
  out += "        " + joined(files, "|") +
         ")\n            COMPREPLY=($(compgen -f -- \"$cur\")); compopt -o filenames 2>/dev/null; return ;;\n";
  out += "        " + joined(words, "|") + ") return ;;\n";
  return out;
}

std::string commandCases() {
  std::string out;
  for (const CommandReference& command : commandReferences()) {
    std::vector<std::string> options{"--help"}, takingValues;
    for (const OptionReference& option : optionsOf(command)) {
      options.push_back(option.name);
      if (!option.alias.empty()) options.push_back(option.alias);
      if (!option.value.empty() && !option.valueOptional)
        takingValues.push_back(option.name + (option.alias.empty() ? "" : " " + option.alias));
    }
    const char* operand = command.operand == Operand::Domain ? "domain" : command.operand == Operand::Iso ? "iso" : "";
    out += "        " + command.name + ") options=\"" + joined(options, " ") + "\" valued=\" " +
           joined(takingValues, " ") + " \" operand=" + operand + " ;;\n";
  }
  return out;
}

}  // namespace

std::string bashCompletion() {
  std::vector<std::string> top;
  for (const CommandReference& command : commandReferences()) top.push_back(command.name);
  for (const OptionReference& option : globalOptionReferences()) {
    top.push_back(option.name);
    if (!option.alias.empty()) top.push_back(option.alias);
  }
  return R"SH(# bash completion for virt-configdrive. Generated from cli/command_reference.cc, as --help is.
_virt_configdrive() {
    # Words as the shell splits them by blanks: a URI's ':' stays inside its word.
    local line=${COMP_LINE:0:COMP_POINT} words
    read -ra words <<<"$line"
    [[ -z $line || $line == *[[:blank:]] ]] && words+=("")
    local cur=${words[${#words[@]} - 1]} prev=""
    ((${#words[@]} > 1)) && prev=${words[${#words[@]} - 2]}
    local uri="" command="" at i
    for ((i = 1; i < ${#words[@]} - 1; i++)); do
        case ${words[i]} in
            -c|--connect) uri=${words[i + 1]}; ((i++)) ;;
            --connect=*) uri=${words[i]#--connect=} ;;
            -*) ;;
            *) command=${words[i]}; at=$i; break ;;
        esac
    done
    COMPREPLY=()
    case $prev in
)SH" + valueCases() +
         R"SH(    esac
    if [[ -z $command ]]; then
        COMPREPLY=($(compgen -W ")SH" +
         joined(top, " ") + R"SH(" -- "$cur"))
        return
    fi
    local options valued operand
    case $command in
)SH" + commandCases() +
         R"SH(        *) return ;;
    esac
    # Is the operand there already? Words after the command that are neither options nor their values.
    local given=0
    for ((i = at + 1; i < ${#words[@]} - 1; i++)); do
        if [[ $valued == *" ${words[i]} "* ]]; then ((i++)); elif [[ ${words[i]} != -* ]]; then given=1; fi
    done
    if [[ $cur == -* || -z $operand || $given == 1 ]]; then
        COMPREPLY=($(compgen -W "$options" -- "$cur"))
    elif [[ $operand == domain ]]; then
        COMPREPLY=($(compgen -W "$(virsh ${uri:+-c "$uri"} list --all --name 2>/dev/null)" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -X '!*.iso' -- "$cur") $(compgen -d -- "$cur"))
        compopt -o filenames 2>/dev/null
    fi
}
complete -F _virt_configdrive virt-configdrive
)SH";
}

}  // namespace vcd
