// The bash completion of virt-configdrive, rendered from the command reference: commands, options, their values
// (files, --os's choices) and domain names, which it asks `virsh list --all --name` for (with the -c URI given).
#pragma once

#include <string>

namespace vcd {

std::string bashCompletion();

}  // namespace vcd
