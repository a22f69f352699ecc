// What each CLI command takes and does, written once for --help, the man page, completion and the parser.
#include "cli/command_reference.h"

#include <algorithm>
#include <sstream>

#include "domain/domain_editor.h"
#include "util/text.h"

namespace vcd {

namespace {

constexpr std::size_t kHelpWidth = 80;
constexpr std::size_t kOptionColumn = 30;

const OptionReference kJson{.name = "--json", .text = "Print the result as JSON."};

// Text in lines of at most kHelpWidth columns: the first goes on from `column`, the others start at `indent`.
std::string wrapped(const std::string& text, std::size_t indent, std::size_t column = 0) {
  std::string out(column < indent ? indent - column : 0, ' ');
  column = std::max(column, indent);
  std::istringstream words(text);
  bool first = true;
  for (std::string word; words >> word; first = false) {
    if (!first && column + 1 + word.size() > kHelpWidth) {
      out += '\n' + std::string(indent, ' ');
      column = indent;
    } else if (!first) {
      out += ' ';
      ++column;
    }
    out += word;
    column += word.size();
  }
  return out + '\n';
}

std::string optionLines(const std::vector<OptionReference>& options) {
  std::string out;
  for (const OptionReference& option : options) {
    std::string left = "  " + (option.alias.empty() ? "" : option.alias + ", ") + option.name;
    if (!option.value.empty()) left += option.valueOptional ? "[=" + option.value + "]" : " " + option.value;
    if (left.size() + 2 > kOptionColumn) {
      out += left + '\n';
      left.clear();
    }
    out += left + wrapped(option.text, kOptionColumn, left.size());
  }
  return out;
}

}  // namespace

const std::vector<OptionReference>& globalOptionReferences() {
  static const std::vector<OptionReference> options = {
      {.name = "--connect",
       .alias = "-c",
       .value = "URI",
       .text = "The libvirt daemon to talk to, as virsh takes it (default: libvirt's own choice).",
       .kind = ValueKind::Word},
      {.name = "--help", .alias = "-h", .text = "Print the commands, or with a COMMAND what it takes and does."},
      {.name = "--version", .text = "Print the version."},
  };
  return options;
}

const std::vector<OptionReference>& dataOptionReferences() {
  static const std::vector<OptionReference> options = {
      {.name = "--hostname",
       .value = "H",
       .text = "The guest's hostname (default: the domain's name).",
       .kind = ValueKind::Word},
      {.name = "--instance-id",
       .value = "ID",
       .text = "The instance id cloud-init keys its once-per-instance work to (default: the domain's UUID).",
       .kind = ValueKind::Word},
      {.name = "--new-instance",
       .text = "Gives the drive a new instance id (a random UUID), so that cloud-init takes the next boot for a new "
               "instance and applies the user data again. Its price: cloud-init then also regenerates the SSH host "
               "keys and reruns every per-instance module. Never done unless asked."},
      {.name = "--availability-zone",
       .value = "Z",
       .text = "The availability zone in the metadata.",
       .kind = ValueKind::Word},
      {.name = "--service-offering",
       .value = "S",
       .text = "The service offering in the CloudStack metadata.",
       .kind = ValueKind::Word},
      {.name = "--os",
       .value = "linux|windows",
       .text = "The guest's OS: Windows guests with a password also get what cloudbase-init reads (default: from "
               "virt-install's libosinfo metadata, else linux).",
       .kind = ValueKind::Word,
       .choices = {"linux", "windows"}},
      {.name = "--guest-follows",
       .value = "yes|no",
       .text = "Whether a Linux guest follows its drive without a new instance id (default: yes): the SSH keys, "
               "hostname and password the drive holds now reach the default user at every boot and when the "
               "medium changes while the guest runs, the network data at the next boot. It travels in the vendor "
               "data, run by cloud-init; a guest refuses it with vendor_data: {enabled: false}. With no, the "
               "drive carries none of it, and cloud-init applies them once per instance.",
       .kind = ValueKind::Word,
       .choices = {"yes", "no"}},
      {.name = "--user-data",
       .value = "FILE|-",
       .text = "The user data (cloud-config, a script…), from FILE or stdin.",
       .kind = ValueKind::File},
      {.name = "--ssh-key",
       .value = "FILE|KEY",
       .text = "Adds an SSH public key: a key itself, or a file of keys one per line. Repeatable.",
       .kind = ValueKind::File},
      {.name = "--vendor-data",
       .value = "FILE",
       .text = "The vendor data: a file holding a JSON object.",
       .kind = ValueKind::File},
      {.name = "--network-data",
       .value = "FILE",
       .text = "The network data (OpenStack network_data.json): a file holding a JSON object.",
       .kind = ValueKind::File},
      {.name = "--password-stdin",
       .text = "Sets the password from stdin's first line; it is sealed with the host's secret.key, with a new salt "
               "for its hash each time, and never taken from the command line."},
      {.name = "--password-cleartext",
       .value = "yes|no",
       .text = "Whether the drive also carries the password in clear (cloudstack/password/vm_password.txt, and "
               "admin_pass for Windows), for CloudStack's guest script and cloudbase-init; cloud-init takes its "
               "hash either way (default: config.json's password_cleartext, else yes for a Windows guest and no "
               "for a Linux one). A Windows guest gets no password without it.",
       .kind = ValueKind::Word,
       .choices = {"yes", "no"}},
      {.name = "--clear-user-data", .text = "Removes the user data."},
      {.name = "--clear-ssh-keys", .text = "Removes every SSH key."},
      {.name = "--clear-password", .text = "Removes the password."},
  };
  return options;
}

const std::vector<CommandReference>& commandReferences() {
  static const std::vector<CommandReference> commands = {
      {.name = "enable",
       .run = runEnable,
       .synopsis = "enable DOMAIN [data options] [--bus " + joined(kCdromBuses, "|") + "] [--wait[=SECONDS]]",
       .summary = "config drive on the domain's second CD-ROM",
       .description =
           "Writes the data into the domain's <cd:configdrive> metadata and adds the config-drive CD-ROM to its "
           "persistent definition as its second CD-ROM (an empty first one is added when it has none): ide on "
           "i440fx machines, sata on q35, scsi on every other machine (aarch64's virt among them), on a "
           "virtio-scsi controller added when the domain has no SCSI controller. Creates and starts the dir pool "
           "when it is missing. A stopped domain with no channel for the QEMU guest agent gets one (virtio, "
           "org.qemu.guest_agent.0), through which the host reaches a guest that runs qemu-guest-agent. The hook "
           "builds the drive at the domain's next start, also when the domain is running now.",
       .options = {{.name = "--bus",
                    .value = joined(kCdromBuses, "|"),
                    .text = "The CD-ROM's bus instead of the machine's default, e.g. scsi for a guest whose kernel "
                            "has no IDE or SATA driver; a bus the machine cannot have is refused. An enabled drive "
                            "on another bus is moved.",
                    .kind = ValueKind::Word,
                    .choices = kCdromBuses},
                   {.name = "--wait",
                    .value = "SECONDS",
                    .text = "Return only once the guest reports, through its guest agent (see status), that it has "
                            "applied the drive; the drive comes at the domain's next start, so the wait goes on "
                            "while the domain is stopped, runs with its previous drive or boots. Fail after SECONDS "
                            "(default 120) with one line naming what was last seen. Refused on a running domain "
                            "with no guest agent channel, which enable adds only while it is stopped.",
                    .valueOptional = true}},
       .dataOptions = true,
       .operand = Operand::Domain},
      {.name = "update",
       .run = runUpdate,
       .synopsis = "update DOMAIN [data options] [--force | --no-reattach] [--wait[=SECONDS]]",
       .summary = "new data; a running domain gets the new drive at once",
       .description =
           "Writes the data into the domain's metadata, live and persistent. On a running domain it builds the new "
           "drive, ejects the old one, places the new one and inserts it; when the guest keeps the drive mounted "
           "(its tray locked) it fails and says so. The same data twice changes nothing.",
       .options = {{.name = "--force", .text = "Eject even when the guest holds the tray locked."},
                   {.name = "--no-reattach",
                    .text = "Place the new drive but leave the running domain's media alone, and print the virsh "
                            "change-media commands that make the guest see it."},
                   {.name = "--wait",
                    .value = "SECONDS",
                    .text = "On a running domain, return only once the guest reports, through its guest agent (see "
                            "status), that it has applied the new drive; fail after SECONDS (default 120) with one "
                            "line naming what it last reported.",
                    .valueOptional = true}},
       .dataOptions = true,
       .operand = Operand::Domain},
      {.name = "watch",
       .run = runWatch,
       .synopsis = "watch [--once]",
       .summary = "running domains' drives follow their live metadata",
       .description =
           "Keeps the drive of every running domain equal to its live <cd:configdrive> metadata, whoever changes "
           "that metadata (virsh metadata, virt-manager, Terraform, a script): when the drive it builds differs from "
           "the one attached, it ejects, places and inserts it as update does, but never forces a locked tray. An "
           "identical drive is left alone. It goes through every running domain at its start and after every "
           "reconnect, then follows libvirt's metadata events until SIGTERM; when the daemon goes away it reconnects "
           "with backoff. A guest holding its tray locked is tried again after 5, 10, 20, 40, 60 and 60 s, each try "
           "logged; the previous drive stays attached meanwhile. Prints one line per drive it changed (the files "
           "that changed, bytes, milliseconds) and one per drive it could not change (why; that drive stays attached "
           "as it was), and logs the same lines to syslog; run by systemd, whose journal takes its output, it logs "
           "them only once. The package runs it as the service virt-configdrive-watch.service.",
       .options = {{.name = "--once",
                    .text = "Go through the running domains once and exit, 1 when a drive could not be changed: "
                            "for cron."}}},
      {.name = "show",
       .run = runShow,
       .synopsis = "show DOMAIN [--json]",
       .summary = "what the drive holds or will hold",
       .description = "Prints what the domain's drive holds, or will hold at its next start: every file and its "
                      "size. A password shows as set or not, never its value.",
       .options = {kJson},
       .operand = Operand::Domain},
      {.name = "status",
       .run = runStatus,
       .synopsis = "status DOMAIN [--json]",
       .summary = "what the running guest did with its drive",
       .description =
           "Asks the running guest, through the QEMU guest agent (qemu-guest-agent in the guest, and the channel "
           "that enable adds), by reading files rather than running commands: whether cloud-init is done, running "
           "or failed, with its datasource, errors and recoverable errors; the instance id and hostname the guest "
           "runs; whether the guest follower has applied the drive the host placed now (its record against the "
           "drive's instance id, SSH keys, hostname and password hash); and the SHA-256 fingerprints of the guest's "
           "SSH host keys. A domain that is not running, has no agent channel, or whose agent does not answer or "
           "refuses to read files (guest-file-open, -read and -close blocked by qemu-ga's block-rpcs or allow-rpcs; "
           "guest-exec may be blocked) gets one line saying which, and exit status 3.",
       .options = {kJson},
       .operand = Operand::Domain},
      {.name = "known-hosts",
       .run = runKnownHosts,
       .synopsis = "known-hosts DOMAIN",
       .summary = "known_hosts lines for the running guest",
       .description =
           "Prints a known_hosts line for each SSH host key of the running guest, read through the QEMU guest agent "
           "as status reads it, under the guest's hostname and the addresses libvirt knows for it (from the agent, "
           "else from the network's DHCP leases; no loopback or link-local address), so that a first SSH "
           "connection can check the key it is shown: virt-configdrive known-hosts web1 >> ~/.ssh/known_hosts. "
           "Exit status 3, with one line, as for status.",
       .operand = Operand::Domain},
      {.name = "disable",
       .run = runDisable,
       .synopsis = "disable DOMAIN",
       .summary = "remove CD-ROM, metadata and ISO",
       .description = "Removes the config-drive CD-ROM and the metadata from the domain's persistent definition, "
                      "and its ISO when the domain is not running (a running domain keeps its drive until it stops).",
       .operand = Operand::Domain},
      {.name = "build",
       .run = runBuild,
       .synopsis = "build [--domain-xml FILE] [data options] -o OUT.iso",
       .summary = "offline build",
       .description = "Builds a drive without libvirt, from a domain's XML and the data options (which override what "
                      "the XML holds), or from --instance-id alone.",
       .options = {{.name = "--domain-xml",
                    .value = "FILE",
                    .text = "The domain's XML, as virsh dumpxml prints it.",
                    .kind = ValueKind::File},
                   {.name = "--output",
                    .alias = "-o",
                    .value = "OUT.iso",
                    .text = "Where to write the drive.",
                    .kind = ValueKind::File}},
       .dataOptions = true},
      {.name = "inspect",
       .run = runInspect,
       .synopsis = "inspect ISO [--json]",
       .summary = "a drive's files and whether cloud-init would accept it",
       .description = "Reads any config drive (this tool's, CloudStack's, genisoimage's) and prints its label, its "
                      "files and every problem a reader would have with it: cloud-init, Windows guests (Joliet), "
                      "CloudStack's password agent. Exits 1 when there is a problem.",
       .options = {kJson},
       .operand = Operand::Iso},
      {.name = "doctor",
       .run = runDoctor,
       .synopsis = "doctor",
       .summary = "check this host",
       .description =
           "Checks this host: the hook is installed, executable and allowed by the daemon's AppArmor profile; "
           "libvirt is new enough; the running daemon has picked the hook up; the pool is defined, active and where "
           "the hook places drives; config.json is valid; secret.key is 0600 and root's; the pool's filesystem has "
           "room; qemu's user can read the drives. Prints one row per check (ok, problem or note, with what to do) "
           "and exits 1 on any problem."},
  };
  return commands;
}

const std::vector<ManualSection>& manualSections() {
  static const std::vector<ManualSection> sections = {
      {"DESCRIPTION",
       {"virt-configdrive gives VMs on plain libvirt/KVM hosts the config drive that CloudStack and OpenStack give "
        "theirs: an ISO labelled config-2, attached as the VM's second CD-ROM, carrying user data, metadata, SSH "
        "keys and a password, read at boot by cloud-init and cloudbase-init.",
        "The data lives in the domain's own XML metadata, so it travels with the domain. A libvirt qemu hook builds "
        "the drive whenever qemu is about to open it (start, incoming migration, restore) and removes it when the "
        "domain is released. This command sets the data, swaps the drive of a running domain, shows it, builds and "
        "inspects drives offline, and checks the host.",
        "DOMAIN is a domain's name, UUID or id, as virsh takes it."}},
      {"EXIT STATUS",
       {"0 on success, 1 on a failure (one line on stderr naming the domain or file and why), 2 on a "
        "usage error, 3 when status or known-hosts cannot ask the guest (the domain is not running, has no guest agent "
        "channel, or its agent does not answer or refuses to read files)."}},
      {"FILES",
       {"/etc/virt-configdrive/config.json: this host's settings (pool, pool_path, label, delete_on_release, "
        "network_data, max_user_data_bytes, availability_zone, cloud_identifier, password_cleartext); every key has a "
        "default.",
        "/etc/virt-configdrive/secret.key: the key that seals passwords (0600, created on first use); copy it to "
        "every host of a migration cluster.",
        "/var/lib/libvirt/configdrive/UUID.iso: the drives, in the dir pool configdrive.",
        "/usr/lib/libvirt/virt-configdrive-hook: the hook, linked from /etc/libvirt/hooks/qemu.d/ and "
        "/etc/libvirt/hooks/daemon.d/."}},
      {"SEE ALSO", {"virsh(1), virt-install(1), cloud-init(1)"}},
  };
  return sections;
}

const CommandReference* findCommand(const std::string& name) {
  for (const CommandReference& command : commandReferences()) {
    if (command.name == name) return &command;
  }
  return nullptr;
}

std::vector<OptionReference> optionsOf(const CommandReference& command) {
  std::vector<OptionReference> options = command.options;
  if (command.dataOptions) {
    options.insert(options.end(), dataOptionReferences().begin(), dataOptionReferences().end());
  }
  return options;
}

ParsedArguments parseCommandArguments(const CommandReference& command, const std::vector<std::string>& args) {
  return parseArguments(args, optionsOf(command));
}

ParsedArguments parseCommandArguments(const std::string& command, const std::vector<std::string>& args) {
  const CommandReference* reference = findCommand(command);
  if (reference == nullptr) throw UsageError("unknown command '" + command + "'");
  return parseCommandArguments(*reference, args);
}

int runCommand(const CommandReference& command, const std::vector<std::string>& args, const CommandContext& context) {
  return command.run(parseCommandArguments(command, args), context);
}

CommandLine splitCommandLine(const std::vector<std::string>& args) {
  CommandLine line;
  ParsedArguments global = parseArguments(args, globalOptionReferences(), OptionsEnd::FirstOperand);
  if (!global.operands.empty()) {
    line.command = findCommand(global.operands.front());
    if (line.command == nullptr) throw UsageError("unknown command '" + global.operands.front() + "'");
    line.commandArgs.assign(global.operands.begin() + 1, global.operands.end());
    global.operands.clear();
  }
  line.global = std::move(global);
  return line;
}

std::string overviewHelp() {
  std::string out = "usage: virt-configdrive [-c URI] COMMAND [options]\n\ncommands:\n";
  for (const CommandReference& command : commandReferences()) {
    out += "  " + command.name + std::string(12 - command.name.size(), ' ') + command.summary + '\n';
  }
  out += "\noptions:\n" + optionLines(globalOptionReferences());
  out += "\n'virt-configdrive COMMAND --help' says what a command takes and does.\n";
  return out;
}

std::string commandHelp(const CommandReference& command) {
  std::string out = "usage: virt-configdrive [-c URI] " + command.synopsis + "\n\n" + wrapped(command.description, 0);
  if (!command.options.empty()) out += "\noptions:\n" + optionLines(command.options);
  if (command.dataOptions) out += "\ndata options:\n" + optionLines(dataOptionReferences());
  return out;
}

}  // namespace vcd
