// virt-configdrive: the operator CLI. Picks the command, runs it, turns errors into one line and an exit code.
#include <algorithm>
#include <iostream>
#include <map>

#include "cli/command_reference.h"
#include "cli/commands.h"
#include "host/install_layout.h"
#include "util/error.h"

namespace {

using Command = int (*)(const std::vector<std::string>&, const vcd::CommandContext&);

const std::map<std::string, Command> kCommands = {
    {"enable", vcd::runEnable}, {"update", vcd::runUpdate},   {"show", vcd::runShow},     {"disable", vcd::runDisable},
    {"watch", vcd::runWatch},   {"build", vcd::runBuild},     {"inspect", vcd::runInspect}, {"doctor", vcd::runDoctor},
};

bool asksForHelp(const std::vector<std::string>& args) {
  return std::any_of(args.begin(), args.end(), [](const std::string& arg) { return arg == "--help" || arg == "-h"; });
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string uri;
  if (!args.empty() && (args.front() == "-c" || args.front() == "--connect")) {
    if (args.size() < 2) {
      std::cerr << "virt-configdrive: " << args.front() << " needs a URI (see virt-configdrive --help)\n";
      return 2;
    }
    uri = args[1];
    args.erase(args.begin(), args.begin() + 2);
  }
  if (args.empty() || args.front() == "--help" || args.front() == "-h") {
    (args.empty() ? std::cerr : std::cout) << vcd::overviewHelp();
    return args.empty() ? 2 : 0;
  }
  if (args.front() == "--version") {
    std::cout << "virt-configdrive " << vcd::kVersion << '\n';
    return 0;
  }
  auto command = kCommands.find(args.front());
  try {
    if (command == kCommands.end()) throw vcd::UsageError("unknown command '" + args.front() + "'");
    std::vector<std::string> commandArgs(args.begin() + 1, args.end());
    if (asksForHelp(commandArgs)) {
      std::cout << vcd::commandHelp(*vcd::findCommand(command->first));
      return 0;
    }
    vcd::SyslogActionLog log;
    vcd::CommandContext context{vcd::HostPaths{}, uri, std::cin, std::cout, std::cerr, log};
    return command->second(commandArgs, context);
  } catch (const vcd::UsageError& error) {
    std::string help = command == kCommands.end() ? "--help" : command->first + " --help";
    std::cerr << vcd::problemLine(error.what() + (" (see virt-configdrive " + help + ")")) << '\n';
    return 2;
  } catch (const std::exception& error) {  // vcd::Error, and what the libraries throw (bad_alloc, filesystem…)
    std::cerr << vcd::problemLine(error.what()) << '\n';
    return 1;
  }
}
