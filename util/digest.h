// Message digests (Nettle), as bytes or lower-case hex.
#pragma once

#include <string>
#include <string_view>

namespace vcd {

std::string sha256Digest(std::string_view bytes);  // the 32 bytes
std::string sha256Hex(std::string_view bytes);
std::string md5Hex(std::string_view bytes);

}  // namespace vcd
