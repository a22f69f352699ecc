// Domain definition + host defaults → DriveContent: what the drive of this domain holds on this host.
#pragma once

#include <cstddef>
#include <string>

#include "domain/domain_definition.h"
#include "iso/drive_content.h"

namespace vcd {

enum class NetworkDataMode { None, Dhcp };

// The host config's say in the drive's content.
struct DriveDefaults {
  std::string label = "config-2";
  std::string availabilityZone;
  std::string cloudIdentifier;
  NetworkDataMode networkData = NetworkDataMode::None;
  std::size_t maxUserDataBytes = 1048576;
};

// Applies SPEC §3's defaults. The password is not filled in: opening it is the caller's business. Throws Error
// naming the element when the content breaks a limit.
DriveContent driveContentFor(const DomainDefinition& domain, const ConfigDriveMetadata& metadata,
                             const DriveDefaults& defaults);

// network_data.json for a host in "dhcp" mode: one phy link and one ipv4_dhcp network per interface MAC.
nlohmann::json dhcpNetworkData(const std::vector<std::string>& macs);

}  // namespace vcd
