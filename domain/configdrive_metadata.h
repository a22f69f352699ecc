// The <cd:configdrive> element of a domain's metadata (SPEC §3) ↔ ConfigDriveMetadata.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <vector>

#include "iso/drive_content.h"

namespace vcd {

inline constexpr const char* kConfigDriveNamespace = "urn:virt-configdrive:metadata:1";

// What the element says, before host defaults are applied. Absent elements are nullopt / empty.
struct ConfigDriveMetadata {
  std::optional<std::string> hostname;
  std::optional<std::string> instanceId;
  std::optional<std::string> availabilityZone;
  std::optional<std::string> serviceOffering;
  std::optional<std::string> cloudIdentifier;
  std::optional<std::string> os;        // "linux" | "windows"
  std::optional<std::string> userData;  // decoded
  std::vector<PublicKey> publicKeys;    // names resolved
  std::optional<nlohmann::json> vendorData;
  std::optional<nlohmann::json> networkData;
  std::optional<std::string> sealedPassword;  // as stored, sealed with the host secret
};

// Parses and validates the element; throws Error naming the offending element and why.
ConfigDriveMetadata parseConfigDriveMetadata(const pugi::xml_node& element);

}  // namespace vcd
