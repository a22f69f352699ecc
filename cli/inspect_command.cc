// `virt-configdrive inspect ISO [--json]`: label, file tree, and whether cloud-init would accept the drive.
#include <nlohmann/json.hpp>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "iso/drive_inspection.h"
#include "iso/iso_reader.h"
#include "util/digest.h"

namespace vcd {

namespace {

void printJson(const IsoContents& contents, const std::vector<std::string>& problems, std::ostream& out) {
  nlohmann::json files = nlohmann::json::object();
  for (const auto& [path, entry] : contents.files) {
    files[path] = {{"size", entry.data.size()}, {"sha256", sha256Hex(entry.data)}};
  }
  out << nlohmann::json{{"label", contents.label}, {"files", files}, {"problems", problems}}.dump(2) << '\n';
}

void printText(const IsoContents& contents, const std::vector<std::string>& problems, std::ostream& out) {
  out << "label: " << contents.label << '\n';
  for (const auto& [path, entry] : contents.files) out << entry.data.size() << '\t' << path << '\n';
  if (problems.empty()) out << "cloud-init would accept this drive\n";
  for (const std::string& problem : problems) out << "problem: " << problem << '\n';
}

}  // namespace

int runInspect(const std::vector<std::string>& args, const CommandContext& context) {
  ParsedArguments parsed = parseArguments(args, {}, {"--json"});
  if (parsed.operands.size() != 1) throw UsageError("inspect takes exactly one ISO");
  IsoContents contents = readIso(parsed.operands.front());
  std::vector<std::string> problems = findDriveProblems(contents);
  if (parsed.has("--json")) {
    printJson(contents, problems, context.out);
  } else {
    printText(contents, problems, context.out);
  }
  return problems.empty() ? 0 : 1;
}

}  // namespace vcd
