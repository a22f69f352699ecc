// `virt-configdrive show DOMAIN [--json]`: what the drive holds (running) or will hold (at the next start).
#include <nlohmann/json.hpp>

#include "cli/domain_command.h"
#include "domain/drive_content_builder.h"
#include "iso/drive_layout.h"
#include "util/base64.h"
#include "util/json_text.h"

namespace vcd {

namespace {

using json = nlohmann::json;

const char* networkSourceName(NetworkDataSource source) {
  switch (source) {
    case NetworkDataSource::HostDhcp:
      return "dhcp";
    case NetworkDataSource::Metadata:
      return "cd:network-data";
    case NetworkDataSource::None:
      break;
  }
  return "none";
}

// How the guest's network is decided, in words: which of the three, and what cloud-init then does.
std::string networkText(const json& report) {
  const std::string source = report["network"];
  if (source == "none") {
    return "none (no network_data.json: cloud-init configures the guest's first NIC by DHCP, its fallback)";
  }
  std::string from = source == "dhcp" ? "dhcp (host config \"network_data\": \"dhcp\"): " : "cd:network-data: ";
  return from + dumpJsonForDisplay(report["network_data"]);
}

// Who takes the password in the guest (docs/drive-format.md); CloudStack's script reads vm_password.txt, when the clear
// text is there.
std::string passwordReader(const DriveContent& content) {
  if (content.windows) return "the Windows account cloudbase-init sets (admin_pass)";
  return std::string("the image's default user (cloud-init set_passwords, a SHA-512 crypt hash, not expired; ") +
         (content.guestFollows ? "a changed password applies at the next boot and while the guest runs)"
                               : "applied once per instance)");
}

// What the guest follower does for this domain's guest (README, "What reaches the guest, and when").
std::string guestFollowsText(const DriveContent& content) {
  if (content.windows) return "no (a Windows guest: cloudbase-init)";
  if (!content.guestFollows) return "no (cloud-init applies the drive once per instance)";
  return "yes (keys, hostname and password at every boot and when the medium changes; the network at every boot)";
}

json describe(const DomainDefinition& domain, bool running, const HostConfig& config) {
  json report = {{"domain", domain.name},
                 {"uuid", domain.uuid},
                 {"running", running},
                 {"enabled", domain.configDrive.has_value()}};
  std::optional<CdromSlot> cdrom = configDriveCdrom(domain);
  report["cdrom"] =
      cdrom ? json{{"target", cdrom->target}, {"bus", cdrom->bus}, {"source", cdrom->sourceFile}} : json(nullptr);
  report["guest_agent_channel"] = domain.guestAgentChannel;
  if (!domain.configDrive) return report;
  DriveContent content = driveContentFor(domain, *domain.configDrive, config.drive);
  bool password = domain.configDrive->sealedPassword.has_value();
  // The password is shown as set or not, never its value: a placeholder stands in for the layout.
  if (password) content.password = "set";
  report.update({{"label", content.label},
                 {"hostname", content.hostname},
                 {"instance_id", content.instanceId},
                 {"availability_zone", content.availabilityZone},
                 {"service_offering", content.serviceOffering},
                 {"cloud_identifier", content.cloudIdentifier},
                 {"os", content.windows ? "windows" : "linux"},
                 {"guest_follows", guestFollowsText(content)},
                 {"public_keys", json::object()},
                 {"password", password ? "set" : "not set"},
                 {"password_cleartext", password && content.passwordCleartext},
                 {"password_for", password ? json(passwordReader(content)) : json(nullptr)},
                 {"user_data", content.userData ? json{{"size", content.userData->size()},
                                                       {"base64", encodeBase64(*content.userData)}}
                                                : json(nullptr)},
                 {"vendor_data", jsonValue(content.vendorData)},
                 {"network", networkSourceName(networkDataSourceFor(domain, *domain.configDrive, config.drive))},
                 {"network_data", content.networkData ? jsonValue(*content.networkData) : json(nullptr)},
                 {"files", json::array()}});
  for (const PublicKey& key : content.publicKeys) report["public_keys"][key.name] = key.data;
  for (const DriveFile& file : layOutDrive(content)) report["files"].push_back("/" + file.path);
  return report;
}

void printText(const json& report, std::ostream& out) {
  const std::string name = report["domain"];
  if (!report["enabled"]) {
    out << name << ": no config drive\n";
    return;
  }
  out << name << ": config drive " << (report["attached"] ? "(running: what it holds)" : "(what it will hold)") << '\n';
  if (report["cdrom"].is_null()) {
    out << "  cdrom: none (run 'virt-configdrive enable')\n";
  } else {
    out << "  cdrom: " << report["cdrom"]["target"].get<std::string>() << " ("
        << report["cdrom"]["bus"].get<std::string>() << ") " << report["cdrom"]["source"].get<std::string>() << '\n';
  }
  out << "  guest agent channel: "
      << (report["guest_agent_channel"] ? "yes (" + std::string(kGuestAgentChannel) + ")"
                                        : std::string("no (enable adds one while the domain is stopped)"))
      << '\n';
  for (const char* key : {"label", "hostname", "instance_id", "availability_zone", "service_offering",
                          "cloud_identifier", "os", "guest_follows", "password"}) {
    out << "  " << key << ": " << report[key].get<std::string>() << '\n';
  }
  if (report["password_for"].is_string()) {
    out << "  password for: " << report["password_for"].get<std::string>() << '\n';
    out << "  password in clear on the drive: "
        << (report["password_cleartext"] ? "yes (cloudstack/password/vm_password.txt)" : "no (only its hash)") << '\n';
  }
  for (const auto& [keyName, key] : report["public_keys"].items()) {
    out << "  ssh key " << keyName << ": " << key.get<std::string>() << '\n';
  }
  out << "  vendor_data: " << dumpJsonForDisplay(report["vendor_data"]) << '\n';
  out << "  network: " << networkText(report) << '\n';
  if (report["user_data"].is_null()) {
    out << "  user_data: none\n";
  } else {
    out << "  user_data (" << report["user_data"]["size"] << " bytes):\n"
        << *decodeBase64(report["user_data"]["base64"].get<std::string>()) << '\n';
  }
}

}  // namespace

int runShow(const ParsedArguments& parsed, const CommandContext& context) {
  std::string name = domainOperand(parsed, "show");
  return forDomain(name, [&] {
    LibvirtSession libvirt(context.uri);
    DomainHandle domain = libvirt.lookupDomain(name);
    bool running = isRunning(domain.get());
    // A running domain shows the drive it holds; one enabled since it started, the drive of its next start.
    std::optional<DomainDefinition> live;
    if (running) live = parseDomainXml(domainXml(domain.get(), 0));
    bool attached = live && live->configDrive;
    DomainDefinition definition = attached ? *live : parseDomainXml(domainXml(domain.get(), VIR_DOMAIN_XML_INACTIVE));
    json report = describe(definition, running, loadHostConfig(context.paths.configFile));
    report["attached"] = attached;
    if (parsed.has("--json")) {
      context.out << dumpJsonForDisplay(report, 2) << '\n';
    } else {
      printText(report, context.out);
    }
    return 0;
  });
}

}  // namespace vcd
