// Text checks and the one-line form every diagnostic is printed in.
#include "util/text.h"

#include <cstdio>

namespace vcd {

namespace {

// The length of the well-formed UTF-8 sequence at text[at], or 0 when there is none.
std::size_t utf8SequenceAt(std::string_view text, std::size_t at) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char lead = byte(at);
  if (lead < 0x80) return 1;
  std::size_t length = lead >= 0xc2 && lead <= 0xdf   ? 2
                       : lead >= 0xe0 && lead <= 0xef ? 3
                       : lead >= 0xf0 && lead <= 0xf4 ? 4
                                                      : 0;
  if (length == 0 || at + length > text.size()) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(at + i) & 0xc0) != 0x80) return 0;
  }
  unsigned char second = byte(at + 1);
  if (lead == 0xe0 && second < 0xa0) return 0;  // overlong
  if (lead == 0xed && second > 0x9f) return 0;  // surrogates
  if (lead == 0xf0 && second < 0x90) return 0;  // overlong
  if (lead == 0xf4 && second > 0x8f) return 0;  // beyond U+10FFFF
  return length;
}

}  // namespace

bool isValidUtf8(std::string_view text) {
  for (std::size_t at = 0; at < text.size();) {
    std::size_t length = utf8SequenceAt(text, at);
    if (length == 0) return false;
    at += length;
  }
  return true;
}

std::string joined(const std::vector<std::string>& words, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += separator;
    out += words[i];
  }
  return out;
}

std::string lowerHex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * bytes.size());
  for (unsigned char byte : bytes) {
    hex += kDigits[byte >> 4];
    hex += kDigits[byte & 0x0f];
  }
  return hex;
}

std::string printableValue(std::string_view text, std::size_t maxBytes) { return printableLine(text, maxBytes); }

std::string printableLine(std::string_view text) { return printableLine(text, kMaxLineBytes); }

std::string printableLine(std::string_view text, std::size_t maxBytes) {
  std::string line;
  std::size_t at = 0;
  while (at < text.size() && line.size() < maxBytes) {
    unsigned char c = static_cast<unsigned char>(text[at]);
    std::size_t length = utf8SequenceAt(text, at);
    if (c == '\n' || c == '\r') {
      line += ' ';
    } else if (length == 0 || c < 0x20 || c == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", c);
      line += escaped;
    } else {
      line.append(text.substr(at, length));
      at += length;
      continue;
    }
    ++at;
  }
  if (at < text.size()) line += "…[" + std::to_string(text.size() - at) + " more bytes]";
  return line;
}

}  // namespace vcd
