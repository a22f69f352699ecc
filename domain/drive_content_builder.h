// Domain definition + host defaults → DriveContent: what the drive of this domain holds on this host.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "domain/domain_definition.h"
#include "iso/drive_content.h"

namespace vcd {

enum class NetworkDataMode { None, Dhcp };

// Where a drive's network_data.json comes from: nowhere (no file: cloud-init's DHCP fallback on the first NIC),
// the host's "dhcp" mode (one DHCP link per domain interface), or the domain's cd:network-data.
enum class NetworkDataSource { None, HostDhcp, Metadata };

// The host config's say in the drive's content.
struct DriveDefaults {
  std::string label = "config-2";
  std::string availabilityZone;
  std::string cloudIdentifier;
  NetworkDataMode networkData = NetworkDataMode::None;
  std::size_t maxUserDataBytes = 1048576;
  std::optional<bool> passwordCleartext;  // config.json's password_cleartext; unset: a Windows guest's only
};

// Applies the metadata's defaults (docs/drive-format.md). The password is not filled in: opening it is the caller's
// business. Throws Error naming the element when the content breaks a limit.
DriveContent driveContentFor(const DomainDefinition& domain, const ConfigDriveMetadata& metadata,
                             const DriveDefaults& defaults);

NetworkDataSource networkDataSourceFor(const DomainDefinition& domain, const ConfigDriveMetadata& metadata,
                                       const DriveDefaults& defaults);

// "cd:network-data: the guest would boot without network: <why>" when the metadata's network data gives none of
// the domain's NICs an address (refused by enable and update, a warning in the hook); nullopt otherwise.
std::optional<std::string> networkDataWithoutNetwork(const DomainDefinition& domain,
                                                     const ConfigDriveMetadata& metadata);

// What a reader would ignore or lack in this domain's drive: "cd:vendor-data: …" cloud-init ignores, and the
// network data that gives no NIC an address. Warnings where the drive is built anyway (hook, build).
std::vector<std::string> driveWarnings(const DomainDefinition& domain, const ConfigDriveMetadata& metadata,
                                       const DriveContent& content);

// network_data.json for a host in "dhcp" mode: one phy link and one ipv4_dhcp network per interface MAC.
JsonObjectText dhcpNetworkData(const std::vector<std::string>& macs);

}  // namespace vcd
