// Random UUIDs, for the instance ids `--new-instance` gives a drive.
#include "util/uuid.h"

#include "util/aead.h"
#include "util/text.h"

namespace vcd {

std::string randomUuid() {
  std::string bytes = randomBytes(16);
  bytes[6] = static_cast<char>((bytes[6] & 0x0f) | 0x40);  // version 4: random
  bytes[8] = static_cast<char>((bytes[8] & 0x3f) | 0x80);  // the RFC 4122 variant
  std::string hex = lowerHex(bytes);
  return hex.substr(0, 8) + '-' + hex.substr(8, 4) + '-' + hex.substr(12, 4) + '-' + hex.substr(16, 4) + '-' +
         hex.substr(20);
}

}  // namespace vcd
