// Random UUIDs, for the instance ids `--new-instance` gives a drive.
#include "util/uuid.h"

#include <array>
#include <cstdio>

#include "util/aead.h"

namespace vcd {

std::string randomUuid() {
  std::string bytes = randomBytes(16);
  bytes[6] = static_cast<char>((bytes[6] & 0x0f) | 0x40);  // version 4: random
  bytes[8] = static_cast<char>((bytes[8] & 0x3f) | 0x80);  // the RFC 4122 variant
  std::string text;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text += '-';
    std::array<char, 3> pair{};
    std::snprintf(pair.data(), pair.size(), "%02x", static_cast<unsigned char>(bytes[i]));
    text += pair.data();
  }
  return text;
}

}  // namespace vcd
