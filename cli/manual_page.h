// virt-configdrive(1) in roff, rendered from the command reference: the man page says what --help says.
#pragma once

#include <string>

namespace vcd {

std::string manualPage();

}  // namespace vcd
