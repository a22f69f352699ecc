// The <cd:configdrive> element of a domain's metadata (docs/drive-format.md) ↔ ConfigDriveMetadata.
#pragma once

#include <optional>
#include <pugixml.hpp>
#include <string>
#include <vector>

#include "iso/drive_content.h"
#include "util/json_object_text.h"

namespace vcd {

inline constexpr const char* kConfigDriveNamespace = "urn:virt-configdrive:metadata:1";

// <cd:password sealed="SCHEME">TEXT</cd:password>: a password sealed with the host secret (host/host_secret).
struct SealedPassword {
  std::string scheme;  // "v2": the password and the salt of its crypt hash; "v1" (earlier releases): the password
  std::string text;    // base64

  bool operator==(const SealedPassword&) const = default;
};

// What the element says, before host defaults are applied. Absent elements are nullopt / empty.
struct ConfigDriveMetadata {
  std::optional<std::string> hostname;
  std::optional<std::string> instanceId;
  std::optional<std::string> availabilityZone;
  std::optional<std::string> serviceOffering;
  std::optional<std::string> cloudIdentifier;
  std::optional<std::string> os;                 // "linux" | "windows"
  std::optional<std::string> guestFollows;       // "yes" | "no": the guest follower in a Linux guest's vendor data
  std::optional<std::string> passwordCleartext;  // "yes" | "no": the password in clear on the drive too
  std::optional<std::string> userData;           // decoded
  std::vector<PublicKey> publicKeys;             // names resolved
  std::optional<JsonObjectText> vendorData;
  std::optional<JsonObjectText> networkData;
  std::optional<SealedPassword> sealedPassword;

  bool operator==(const ConfigDriveMetadata&) const = default;
};

// Parses and validates the element; throws Error naming the offending element and why.
ConfigDriveMetadata parseConfigDriveMetadata(const pugi::xml_node& element);

// The name of a key without a name attribute: its comment (what follows type and key), else key-N.
std::string defaultKeyName(const std::string& keyLine, std::size_t position);

// Appends <cd:configdrive xmlns:cd="urn:virt-configdrive:metadata:1"> with the metadata to parent (a domain's
// <metadata>). User data is written base64, keys with their resolved names.
void appendConfigDriveElement(pugi::xml_node parent, const ConfigDriveMetadata& metadata);

// The element as virDomainSetMetadata takes it: <configdrive> and children without prefix or namespace
// declaration; libvirt puts them in the namespace it is given.
std::string configDriveElementForLibvirt(const ConfigDriveMetadata& metadata);

// Validates metadata built in memory by writing and re-reading it; throws Error like parsing does.
ConfigDriveMetadata revalidate(const ConfigDriveMetadata& metadata);

}  // namespace vcd
