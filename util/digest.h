// Message digests (Nettle) as lower-case hex.
#pragma once

#include <string>
#include <string_view>

namespace vcd {

std::string sha256Hex(std::string_view bytes);
std::string md5Hex(std::string_view bytes);

}  // namespace vcd
