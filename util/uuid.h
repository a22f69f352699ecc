// Random UUIDs, for the instance ids `--new-instance` gives a drive.
#pragma once

#include <string>

namespace vcd {

// A random (version 4, RFC 4122) UUID in its lower-case text form, e.g. "1b4e28ba-2fa1-41d2-883f-0016d3cca427".
std::string randomUuid();

}  // namespace vcd
