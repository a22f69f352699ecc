// A change to a domain's config drive metadata, as the CLI's data options express it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/configdrive_metadata.h"

namespace vcd {

struct MetadataEdit {
  std::optional<std::string> hostname;
  std::optional<std::string> instanceId;
  std::optional<std::string> availabilityZone;
  std::optional<std::string> serviceOffering;
  std::optional<std::string> os;
  std::optional<std::string> guestFollows;
  std::optional<std::string> passwordCleartext;
  std::optional<std::string> userData;
  bool clearUserData = false;
  std::vector<std::string> sshKeys;  // OpenSSH public key lines, added after any --clear-ssh-keys
  bool clearSshKeys = false;
  std::optional<JsonObjectText> vendorData;
  std::optional<JsonObjectText> networkData;
  std::optional<SealedPassword> sealedPassword;  // already sealed for the domain
  bool clearPassword = false;

  bool empty() const;
};

// Applies the edit and validates the result like domain XML is validated; throws Error naming the element.
// A key already present is not added twice, so applying the same edit twice changes nothing.
ConfigDriveMetadata applyEdit(ConfigDriveMetadata metadata, const MetadataEdit& edit);

}  // namespace vcd
