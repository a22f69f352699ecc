// Base64 decoding and encoding (Nettle), strict about what it accepts.
#include "util/base64.h"

#include <nettle/base64.h>

#include <algorithm>
#include <cstdint>

namespace vcd {

namespace {

// XML's white space, which wraps base64 text over lines; Nettle's decoder skips it.
bool isXmlSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

std::optional<std::string> decodeBase64(std::string_view text) {
  std::size_t digits =
      static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) { return !isXmlSpace(c); }));
  if (digits == 0) return std::string();
  // Base64 in domain XML must be complete, its final padding included.
  if (digits % 4 != 0) return std::nullopt;
  std::string bytes(BASE64_DECODE_LENGTH(text.size()), '\0');
  std::size_t decoded = bytes.size();
  base64_decode_ctx context{};
  base64_decode_init(&context);
  if (base64_decode_update(&context, &decoded, reinterpret_cast<std::uint8_t*>(bytes.data()), text.size(),
                           text.data()) == 0 ||
      base64_decode_final(&context) == 0) {
    return std::nullopt;
  }
  bytes.resize(decoded);
  return bytes;
}

std::string encodeBase64(std::string_view bytes) {
  std::string text(BASE64_ENCODE_RAW_LENGTH(bytes.size()), '\0');
  base64_encode_raw(text.data(), bytes.size(), reinterpret_cast<const std::uint8_t*>(bytes.data()));
  return text;
}

}  // namespace vcd
