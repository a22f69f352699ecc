// virt-configdrive: the operator CLI. Reads the command line against the command reference, runs the command,
// turns errors into one line and an exit code.
#include <algorithm>
#include <iostream>

#include "cli/command_reference.h"
#include "host/action_log.h"
#include "host/install_layout.h"
#include "util/error.h"
#include "util/secret.h"

namespace {

bool asksForHelp(const std::vector<std::string>& args) {
  auto end = std::find(args.begin(), args.end(), "--");
  return std::any_of(args.begin(), end, [](const std::string& arg) { return arg == "--help" || arg == "-h"; });
}

}  // namespace

int main(int argc, char** argv) {
  const vcd::CommandReference* command = nullptr;
  try {
    // Before any command reads a password from stdin or secret.key (watch opens every running domain's): no core
    // file, and /proc/PID belongs to root, whoever runs it.
    vcd::becomeUndumpable();
    vcd::CommandLine line = vcd::splitCommandLine(std::vector<std::string>(argv + 1, argv + argc));
    command = line.command;
    if (line.global.has("--help") || command == nullptr) {
      bool asked = line.global.has("--help") || line.global.has("--version");
      if (line.global.has("--version") && !line.global.has("--help")) {
        std::cout << "virt-configdrive " << vcd::kVersion << '\n';
      } else {
        (asked ? std::cout : std::cerr) << vcd::overviewHelp();
      }
      return asked ? 0 : 2;
    }
    if (asksForHelp(line.commandArgs)) {
      std::cout << vcd::commandHelp(*command);
      return 0;
    }
    vcd::SyslogActionLog log;
    vcd::CommandContext context{vcd::HostPaths{}, line.global.value("--connect"), std::cin, std::cout, std::cerr, log};
    return vcd::runCommand(*command, line.commandArgs, context);
  } catch (const vcd::UsageError& error) {
    std::string help = command == nullptr ? "--help" : command->name + " --help";
    std::cerr << vcd::problemLine(error.what() + (" (see virt-configdrive " + help + ")")) << '\n';
    return 2;
  } catch (const std::exception& error) {  // vcd::Error, and what the libraries throw (bad_alloc, filesystem…)
    std::cerr << vcd::problemLine(error.what()) << '\n';
    return 1;
  }
}
