// `virt-configdrive inspect ISO [--json]`: label, file tree, and whether cloud-init would accept the drive.
#include <signal.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include "cli/command_reference.h"
#include "cli/commands.h"
#include "iso/drive_inspection.h"
#include "iso/iso_reader.h"
#include "util/digest.h"
#include "util/error.h"
#include "util/json_text.h"
#include "util/text.h"

namespace vcd {

namespace {

constexpr unsigned kInspectSeconds = 60;

// The message the alarm prints: prepared beforehand, as a signal handler may only write(2) it.
std::string gaveUpLine;

void giveUp(int) {
  ssize_t ignored = ::write(STDERR_FILENO, gaveUpLine.data(), gaveUpLine.size());
  (void)ignored;
  ::_exit(1);
}

// Reading the image is bounded in blocks and bytes (iso_reader); a crafted image could still keep libisofs busy in a
// loop that reads nothing. The deadline ends inspect then, with one line, instead of never.
class InspectDeadline {
 public:
  explicit InspectDeadline(const std::string& image) {
    gaveUpLine = problemLine(image + ": gave up reading the image after " + std::to_string(kInspectSeconds) +
                             " s (a crafted image?)") +
                 "\n";
    struct sigaction action {};
    action.sa_handler = giveUp;
    ::sigaction(SIGALRM, &action, &previous_);
    ::alarm(kInspectSeconds);
  }
  InspectDeadline(const InspectDeadline&) = delete;
  InspectDeadline& operator=(const InspectDeadline&) = delete;
  ~InspectDeadline() {
    ::alarm(0);
    ::sigaction(SIGALRM, &previous_, nullptr);
  }

 private:
  struct sigaction previous_ {};
};

const char* networkWords(const std::string& kind) {
  if (kind == "none") return "none (no network_data.json: cloud-init configures the first NIC by DHCP, its fallback)";
  if (kind == "dhcp") return "dhcp (network_data.json: every network is DHCP)";
  return "explicit (network_data.json: addresses as it says)";
}

bool isClearTextPassword(const std::string& path) {
  return path == "/cloudstack/password/vm_password.txt" || path == "/cloudstack/password/vm-password-md5checksum.txt";
}

void printJson(const IsoContents& contents, const DriveReport& report, std::ostream& out) {
  nlohmann::json files = nlohmann::json::object();
  for (const auto& [path, entry] : contents.files) {
    files[path] = {{"size", entry.data.size()}};
    // An unsalted digest of a password tells what it is to whoever tries guesses: none for those files.
    if (!isClearTextPassword(path)) files[path]["sha256"] = sha256Hex(entry.data);
  }
  nlohmann::json json = {{"label", contents.label},
                         {"files", files},
                         {"network", report.network},
                         {"password", report.password},
                         {"guest_follows", report.guestFollows},
                         {"password_cleartext", report.passwordCleartext},
                         {"problems", report.problems},
                         {"warnings", report.warnings}};
  out << dumpJsonForDisplay(json, 2) << '\n';
}

void printText(const IsoContents& contents, const DriveReport& report, std::ostream& out) {
  // The label and the names are the image maker's: printed as one printable line each.
  out << "label: " << printableLine(contents.label) << '\n';
  for (const auto& [path, entry] : contents.files) out << entry.data.size() << '\t' << printableLine(path) << '\n';
  out << "network: " << networkWords(report.network) << '\n';
  out << "password in vendor data: " << report.password << '\n';
  out << "password in clear on the drive: " << (report.passwordCleartext ? "yes" : "no") << '\n';
  out << "the guest follows the drive (virt-configdrive's follower in vendor data): "
      << (report.guestFollows ? "yes" : "no") << '\n';
  if (report.problems.empty()) out << "every reader would accept this drive\n";
  for (const std::string& problem : report.problems) out << "problem: " << printableLine(problem) << '\n';
  for (const std::string& warning : report.warnings) out << "warning: " << printableLine(warning) << '\n';
}

}  // namespace

int runInspect(const ParsedArguments& parsed, const CommandContext& context) {
  if (parsed.operands.size() != 1) throw UsageError("inspect takes exactly one ISO");
  InspectDeadline deadline(parsed.operands.front());
  IsoContents contents = readIso(parsed.operands.front());
  DriveReport report = inspectDrive(contents);
  if (parsed.has("--json")) {
    printJson(contents, report, context.out);
  } else {
    printText(contents, report, context.out);
  }
  return report.problems.empty() ? 0 : 1;
}

}  // namespace vcd
