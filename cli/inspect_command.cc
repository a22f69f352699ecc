// `virt-configdrive inspect ISO [--json]`: label, file tree, and whether cloud-init would accept the drive.
#include <nlohmann/json.hpp>

#include "cli/command_reference.h"
#include "cli/commands.h"
#include "iso/drive_inspection.h"
#include "iso/iso_reader.h"
#include "util/digest.h"

namespace vcd {

namespace {

const char* networkWords(const std::string& kind) {
  if (kind == "none") return "none (no network_data.json: cloud-init configures the first NIC by DHCP, its fallback)";
  if (kind == "dhcp") return "dhcp (network_data.json: every network is DHCP)";
  return "explicit (network_data.json: addresses as it says)";
}

void printJson(const IsoContents& contents, const DriveReport& report, std::ostream& out) {
  nlohmann::json files = nlohmann::json::object();
  for (const auto& [path, entry] : contents.files) {
    files[path] = {{"size", entry.data.size()}, {"sha256", sha256Hex(entry.data)}};
  }
  nlohmann::json json = {{"label", contents.label},
                         {"files", files},
                         {"network", report.network},
                         {"problems", report.problems},
                         {"warnings", report.warnings}};
  out << json.dump(2) << '\n';
}

void printText(const IsoContents& contents, const DriveReport& report, std::ostream& out) {
  out << "label: " << contents.label << '\n';
  for (const auto& [path, entry] : contents.files) out << entry.data.size() << '\t' << path << '\n';
  out << "network: " << networkWords(report.network) << '\n';
  if (report.problems.empty()) out << "every reader would accept this drive\n";
  for (const std::string& problem : report.problems) out << "problem: " << problem << '\n';
  for (const std::string& warning : report.warnings) out << "warning: " << warning << '\n';
}

}  // namespace

int runInspect(const std::vector<std::string>& args, const CommandContext& context) {
  ParsedArguments parsed = parseCommandArguments("inspect", args);
  if (parsed.operands.size() != 1) throw UsageError("inspect takes exactly one ISO");
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
