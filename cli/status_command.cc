// `virt-configdrive status DOMAIN [--json]`: what the running guest did with its drive, read through the QEMU
// guest agent as files (guest-file-*): cloud-init's own records, the instance id and hostname it runs, the guest
// follower's record against the drive the host placed, and the fingerprints of the guest's SSH host keys.
#include <nlohmann/json.hpp>

#include "cli/command_line.h"
#include "cli/domain_command.h"
#include "cli/guest_report.h"
#include "virt/guest_agent.h"

namespace vcd {
namespace {

using nlohmann::json;

void printText(const json& report, std::ostream& out) {
  const json& cloudInit = report["cloud_init"];
  out << report["domain"].get<std::string>() << ": cloud-init " << cloudInit["status"].get<std::string>();
  if (cloudInit["datasource"].is_string()) out << " (" << cloudInit["datasource"].get<std::string>() << ")";
  out << '\n';
  for (const json& error : cloudInit["errors"]) out << "  error: " << error.get<std::string>() << '\n';
  for (const auto& [stage, errors] : cloudInit["recoverable_errors"].items()) {
    out << "  recoverable errors in " << stage << ": " << errors.dump() << '\n';
  }
  auto text = [](const json& value) { return value.is_string() ? value.get<std::string>() : std::string("unknown"); };
  out << "  instance id: " << text(report["instance_id"]) << '\n';
  out << "  hostname: " << text(report["hostname"]) << '\n';
  const json& drive = report["drive"];
  out << "  drive applied: " << (drive["applied"].is_null() ? "unknown" : drive["applied"].get<bool>() ? "yes" : "no");
  if (drive["why"].is_string()) out << " (" << drive["why"].get<std::string>() << ")";
  out << '\n';
  for (const json& key : report["ssh_host_keys"]) {
    out << "  ssh host key: " << key["fingerprint"].get<std::string>() << " (" << key["type"].get<std::string>()
        << ")\n";
  }
}

}  // namespace

int runStatus(const ParsedArguments& parsed, const CommandContext& context) {
  std::string name = domainOperand(parsed, "status");
  return withGuestAgent(context.uri, name, context.err, [&](virDomainPtr domain, const GuestAgent& agent) {
    DomainDefinition definition = parseDomainXml(domainXml(domain, 0));
    json report = {{"domain", definition.name}};
    report.update(guestReport(agent, definition, loadHostConfig(context.paths.configFile), context.paths));
    if (parsed.has("--json")) {
      context.out << report.dump(2) << '\n';
    } else {
      printText(report, context.out);
    }
    return 0;
  });
}

}  // namespace vcd
