// Text checks and the one-line form every diagnostic is printed in. Knows nothing of the product.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace vcd {

// Whether text is well-formed UTF-8 (no overlong forms, no surrogates, nothing beyond U+10FFFF).
bool isValidUtf8(std::string_view text);

// The most bytes a diagnostic line holds; values an attacker chose are cut there.
constexpr std::size_t kMaxLineBytes = 1000;

// The words with `separator` between each two: "a, b" ("" for none).
std::string joined(const std::vector<std::string>& words, std::string_view separator);

// Bytes as lower-case hex, two digits each (digests, UUIDs).
std::string lowerHex(std::string_view bytes);

// A value others chose (a domain name) as a line shows it: printable, and cut at maxBytes so that the rest of the
// line (what failed and why) still fits.
std::string printableValue(std::string_view text, std::size_t maxBytes = 200);

// text as one printable line of at most kMaxLineBytes (then "…[N more bytes]"): line breaks become spaces,
// other control characters and bytes that are not UTF-8 become \xNN, so no value can forge or hide a line.
std::string printableLine(std::string_view text);
std::string printableLine(std::string_view text, std::size_t maxBytes);

}  // namespace vcd
