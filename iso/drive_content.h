// What a config drive carries, whatever it was read from: the content model that iso/ lays out and writes.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

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
  std::optional<std::string> userData;  // decoded bytes
  std::vector<PublicKey> publicKeys;
  std::optional<std::string> password;  // in clear, only ever in memory
  nlohmann::json vendorData = nlohmann::json::object();
  // network_data.json; absent: no such file, and cloud-init configures the guest's first NIC by DHCP (its fallback).
  std::optional<nlohmann::json> networkData;
};

}  // namespace vcd
