// Judges a config drive, read back from an ISO or about to be written: what would make a reader reject it
// (problems) and what a reader would silently ignore (warnings). The rules follow the readers' own code.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "iso/iso_reader.h"

namespace vcd {

struct DriveReport {
  std::vector<std::string> problems;  // "<reader>: <why it rejects the drive>"
  std::vector<std::string> warnings;  // "<reader>: <what it ignores>"
};

DriveReport inspectDrive(const IsoContents& contents);

// What cloud-init's convert_net_json cannot use in an OpenStack network_data object (links without id, type or
// MAC; networks naming no link…); empty when it converts.
std::vector<std::string> networkDataProblems(const nlohmann::json& networkData);

// Why cloud-init would ignore this vendor data (no "cloud-init" key, or an object under it); empty otherwise.
std::vector<std::string> vendorDataWarnings(const nlohmann::json& vendorData);

}  // namespace vcd
