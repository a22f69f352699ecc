// Base64 decoding and encoding (Nettle), strict about what it accepts.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vcd {

// Decodes base64 text; ASCII white space (line wrapping in XML) is ignored. Returns nullopt when the text is
// not valid base64.
std::optional<std::string> decodeBase64(std::string_view text);

std::string encodeBase64(std::string_view bytes);

}  // namespace vcd
