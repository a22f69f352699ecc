// virt-configdrive: the operator CLI. Picks the command, runs it, turns errors into one line and an exit code.
#include <iostream>
#include <map>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "util/error.h"

namespace {

using Command = int (*)(const std::vector<std::string>&, const vcd::CommandContext&);

const std::map<std::string, Command> kCommands = {
    {"enable", vcd::runEnable},   {"update", vcd::runUpdate}, {"show", vcd::runShow},
    {"disable", vcd::runDisable}, {"build", vcd::runBuild},   {"inspect", vcd::runInspect},
};

const char* const kUsage =
    "usage: virt-configdrive [-c URI] COMMAND ...\n"
    "  enable DOMAIN [data options]                 config drive on the domain's second CD-ROM\n"
    "  update DOMAIN [data options] [--force | --no-reattach]\n"
    "                                               new data; a running domain gets the new drive at once\n"
    "  show DOMAIN [--json]                         what the drive holds or will hold\n"
    "  disable DOMAIN                               remove CD-ROM, metadata and ISO\n"
    "  build [--domain-xml FILE] [data options] -o OUT.iso   offline build\n"
    "  inspect ISO [--json]                         a drive's files and whether cloud-init would accept it\n"
    "data options: --hostname H --instance-id ID --availability-zone Z --service-offering S\n"
    "  --os linux|windows --user-data FILE|- --ssh-key FILE|KEY (repeatable) --vendor-data FILE\n"
    "  --network-data FILE --password-stdin --clear-user-data --clear-ssh-keys --clear-password\n";

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
    (args.empty() ? std::cerr : std::cout) << kUsage;
    return args.empty() ? 2 : 0;
  }
  auto command = kCommands.find(args.front());
  try {
    if (command == kCommands.end()) throw vcd::UsageError("unknown command '" + args.front() + "'");
    vcd::SyslogActionLog log;
    vcd::CommandContext context{vcd::HostPaths{}, uri, std::cin, std::cout, std::cerr, log};
    return command->second({args.begin() + 1, args.end()}, context);
  } catch (const vcd::UsageError& error) {
    std::cerr << "virt-configdrive: " << vcd::oneLine(error.what()) << " (see virt-configdrive --help)\n";
    return 2;
  } catch (const vcd::Error& error) {
    std::cerr << "virt-configdrive: " << vcd::oneLine(error.what()) << '\n';
    return 1;
  }
}
