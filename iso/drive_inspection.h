// Judges a config drive read back from an ISO: what would stop cloud-init from accepting it.
#pragma once

#include <string>
#include <vector>

#include "iso/iso_reader.h"

namespace vcd {

// One line per problem, each naming the reader that would reject the drive and why; empty when none would.
std::vector<std::string> findDriveProblems(const IsoContents& contents);

}  // namespace vcd
