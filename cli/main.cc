// virt-configdrive: the operator CLI. Picks the command, runs it, turns errors into one line and an exit code.
#include <iostream>
#include <map>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "util/error.h"

namespace {

using Command = int (*)(const std::vector<std::string>&, const vcd::CommandContext&);

const std::map<std::string, Command> kCommands = {
    {"build", vcd::runBuild},
    {"inspect", vcd::runInspect},
};

const char* const kUsage =
    "usage: virt-configdrive COMMAND ...\n"
    "  build --domain-xml FILE -o OUT.iso   build a config drive offline\n"
    "  inspect ISO [--json]                 show a drive and whether cloud-init would accept it\n";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args.front() == "--help" || args.front() == "-h") {
    (args.empty() ? std::cerr : std::cout) << kUsage;
    return args.empty() ? 2 : 0;
  }
  auto command = kCommands.find(args.front());
  try {
    if (command == kCommands.end()) throw vcd::UsageError("unknown command '" + args.front() + "'");
    vcd::CommandContext context{vcd::HostPaths{}, std::cout};
    return command->second({args.begin() + 1, args.end()}, context);
  } catch (const vcd::UsageError& error) {
    std::cerr << "virt-configdrive: " << error.what() << '\n' << kUsage;
    return 2;
  } catch (const vcd::Error& error) {
    std::cerr << "virt-configdrive: " << vcd::oneLine(error.what()) << '\n';
    return 1;
  }
}
