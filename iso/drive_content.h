// What a config drive carries, whatever it was read from: the content model that iso/ lays out and writes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "util/json_object_text.h"

namespace vcd {

struct PublicKey {
  std::string name;
  std::string data;  // one OpenSSH public key line

  bool operator==(const PublicKey&) const = default;
};

struct DriveContent {
  std::string label = "config-2";
  std::string domainName;
  std::string instanceId;
  std::string hostname;
  std::string availabilityZone;
  std::string serviceOffering;
  std::string cloudIdentifier;
  bool windows = false;
  // A Linux guest follows the drive at every boot and when its medium changes (the guest follower in vendor data).
  bool guestFollows = true;
  std::optional<std::string> userData;  // decoded bytes
  std::vector<PublicKey> publicKeys;
  std::optional<std::string> password;  // in clear, only ever in memory
  // The salt of the password's crypt hash, drawn when it was set; without one (a password sealed by an earlier
  // release), a salt derived from the instance id and the password.
  std::optional<std::string> passwordSalt;
  // The password in clear on the drive too (vm_password.txt, and admin_pass and the MD5 file for Windows), for
  // CloudStack's guest script and cloudbase-init; cloud-init takes the hash.
  bool passwordCleartext = false;
  JsonObjectText vendorData;  // vendor_data.json as the operator gave it
  // network_data.json; absent: no such file, and cloud-init configures the guest's first NIC by DHCP (its fallback).
  std::optional<JsonObjectText> networkData;
};

}  // namespace vcd
