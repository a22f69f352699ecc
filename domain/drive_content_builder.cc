// Domain definition + host defaults → DriveContent: what the drive of this domain holds on this host.
#include "domain/drive_content_builder.h"

#include "iso/drive_inspection.h"
#include "util/error.h"
#include "util/json_text.h"
#include "util/text.h"

namespace vcd {

namespace {

using json = nlohmann::json;

bool isWindows(const DomainDefinition& domain, const ConfigDriveMetadata& metadata) {
  if (metadata.os) return *metadata.os == "windows";
  return domain.osinfoId.rfind("http://microsoft.com/win/", 0) == 0;
}

std::optional<JsonObjectText> networkDataFor(const DomainDefinition& domain, const ConfigDriveMetadata& metadata,
                                             const DriveDefaults& defaults) {
  switch (networkDataSourceFor(domain, metadata, defaults)) {
    case NetworkDataSource::Metadata:
      return metadata.networkData;
    case NetworkDataSource::HostDhcp:
      return dhcpNetworkData(domain.interfaceMacs);
    case NetworkDataSource::None:
      break;
  }
  return std::nullopt;
}

// meta_data.json is JSON, and JSON text is UTF-8: a value that is not is refused, naming where it came from.
void requireUtf8(const std::string& value, const char* element) {
  if (!isValidUtf8(value)) throw Error(std::string(element) + ": is not valid UTF-8");
}

void requireUtf8Content(const DomainDefinition& domain, const ConfigDriveMetadata& metadata) {
  requireUtf8(metadata.instanceId.value_or(domain.uuid), metadata.instanceId ? "cd:instance-id" : "<uuid>");
  requireUtf8(domain.name, "<name>");
  if (metadata.hostname) requireUtf8(*metadata.hostname, "cd:hostname");
  if (metadata.availabilityZone) requireUtf8(*metadata.availabilityZone, "cd:availability-zone");
  for (const PublicKey& key : metadata.publicKeys) {
    requireUtf8(key.name, "cd:public-key");
    requireUtf8(key.data, "cd:public-key");
  }
}

}  // namespace

NetworkDataSource networkDataSourceFor(const DomainDefinition& domain, const ConfigDriveMetadata& metadata,
                                       const DriveDefaults& defaults) {
  if (metadata.networkData) return NetworkDataSource::Metadata;
  // A domain without interfaces has nothing to configure: no file rather than one that configures nothing.
  if (defaults.networkData == NetworkDataMode::Dhcp && !domain.interfaceMacs.empty()) {
    return NetworkDataSource::HostDhcp;
  }
  return NetworkDataSource::None;
}

std::optional<std::string> networkDataWithoutNetwork(const DomainDefinition& domain,
                                                     const ConfigDriveMetadata& metadata) {
  if (!metadata.networkData) return std::nullopt;
  std::optional<std::string> why = whyNoNetwork(jsonValue(*metadata.networkData), domain.interfaceMacs);
  if (!why) return std::nullopt;
  return "cd:network-data: the guest would boot without network: " + *why;
}

const std::string_view kWindowsTakesOnlyTheClearText =
    "cd:password-cleartext: no, and a Windows guest takes its password only in clear (cloudbase-init's "
    "admin_pass): no password reaches it";

std::vector<std::string> driveWarnings(const DomainDefinition& domain, const ConfigDriveMetadata& metadata,
                                       const DriveContent& content) {
  std::vector<std::string> warnings;
  for (const std::string& warning : vendorDataWarnings(jsonValue(content.vendorData))) {
    warnings.push_back("cd:vendor-data: " + warning);
  }
  if (std::optional<std::string> noNetwork = networkDataWithoutNetwork(domain, metadata)) {
    warnings.push_back(*noNetwork);
  }
  if (content.windows && (metadata.sealedPassword || content.password) && !content.passwordCleartext) {
    warnings.emplace_back(kWindowsTakesOnlyTheClearText);
  }
  std::optional<CdromSlot> drive = configDriveCdrom(domain);
  for (const CdromSlot& twin : configDriveTwins(domain)) {
    std::string twinName = "CD-ROM " + twin.target + " names " + twin.sourceFile + " as well";
    warnings.push_back(twin.sourceFile == drive->sourceFile
                           ? twinName + ": the guest sees its config drive twice"
                           : twinName + ": the guest sees two config drives, and only " + drive->target +
                                 "'s is built (" + drive->sourceFile + ")");
  }
  return warnings;
}

JsonObjectText dhcpNetworkData(const std::vector<std::string>& macs) {
  json links = json::array();
  json networks = json::array();
  for (std::size_t i = 0; i < macs.size(); ++i) {
    std::string link = "interface" + std::to_string(i);
    links.push_back({{"id", link}, {"type", "phy"}, {"ethernet_mac_address", macs[i]}});
    networks.push_back({{"id", "network" + std::to_string(i)}, {"link", link}, {"type", "ipv4_dhcp"}});
  }
  return jsonObjectText({{"links", links}, {"networks", networks}, {"services", json::array()}}, "network_data.json");
}

DriveContent driveContentFor(const DomainDefinition& domain, const ConfigDriveMetadata& metadata,
                             const DriveDefaults& defaults) {
  if (metadata.userData && metadata.userData->size() > defaults.maxUserDataBytes) {
    throw Error("cd:user-data: " + std::to_string(metadata.userData->size()) +
                " bytes, more than max_user_data_bytes (" + std::to_string(defaults.maxUserDataBytes) + ")");
  }
  requireUtf8Content(domain, metadata);
  DriveContent content;
  content.label = defaults.label;
  content.domainName = domain.name;
  content.instanceId = metadata.instanceId.value_or(domain.uuid);
  content.hostname = metadata.hostname.value_or(domain.name);
  content.availabilityZone = metadata.availabilityZone.value_or(defaults.availabilityZone);
  content.serviceOffering = metadata.serviceOffering.value_or("");
  content.cloudIdentifier = metadata.cloudIdentifier.value_or(defaults.cloudIdentifier);
  content.windows = isWindows(domain, metadata);
  content.guestFollows = metadata.guestFollows.value_or("yes") == "yes";
  // The clear text only where a reader needs it: cloudbase-init takes nothing else, cloud-init takes the hash.
  content.passwordCleartext = metadata.passwordCleartext ? *metadata.passwordCleartext == "yes"
                                                         : defaults.passwordCleartext.value_or(content.windows);
  content.userData = metadata.userData;
  content.publicKeys = metadata.publicKeys;
  content.vendorData = metadata.vendorData.value_or(JsonObjectText{});
  content.networkData = networkDataFor(domain, metadata, defaults);
  return content;
}

}  // namespace vcd
