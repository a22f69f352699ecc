// Judges a config drive, read back from an ISO or about to be written: what would make a reader reject it
// (problems) and what a reader would silently ignore (warnings). The rules follow the readers' own code.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "iso/iso_reader.h"

namespace vcd {

struct DriveReport {
  std::vector<std::string> problems;  // "<reader>: <why it rejects the drive>"
  std::vector<std::string> warnings;  // "<reader>: <what it ignores>"
  std::string network;                // networkKind of the drive
  std::string password = "none";      // what its vendor data does with a password (vendorDataPassword)
  bool guestFollows = false;          // its vendor data holds the guest follower (guest_follower)
  bool passwordCleartext = false;     // vm_password.txt or meta_data.json's admin_pass holds a password in clear
};

DriveReport inspectDrive(const IsoContents& contents);

// The cloud-init datasource that takes a drive by its volume label: "ConfigDrive" (config-2 or CONFIG-2) or
// "NoCloud" (cidata or CIDATA); nullopt for any other label.
std::optional<std::string> cloudInitSourceOfLabel(const std::string& label);

// What cloud-init's convert_net_json cannot use in an OpenStack network_data object (links without id, type or
// MAC; networks naming no link…); empty when it converts.
std::vector<std::string> networkDataProblems(const nlohmann::json& networkData);

// Why cloud-init would configure no interface from this network_data object: none of its networks is on one of
// its links, or (given the domain's MACs) on a link with one of them. nullopt when an interface gets an address.
std::optional<std::string> whyNoNetwork(const nlohmann::json& networkData, const std::vector<std::string>& macs = {});

// How a drive decides the guest's network: "none" (no network_data.json: cloud-init's DHCP fallback), "dhcp"
// (every network in it is DHCP) or "explicit".
std::string networkKind(const std::optional<nlohmann::json>& networkData);

// Why cloud-init would ignore this vendor data (no "cloud-init" key, or an object under it); empty otherwise.
std::vector<std::string> vendorDataWarnings(const nlohmann::json& vendorData);

}  // namespace vcd
