// Message digests (Nettle), as bytes or lower-case hex.
#include "util/digest.h"

#include <nettle/md5.h>
#include <nettle/sha2.h>

#include <array>
#include <cstdint>

#include "util/text.h"

namespace vcd {

namespace {

// One Nettle hash, its context type and functions given, over `bytes`.
template <typename Context, std::size_t Size>
std::string digest(void (*init)(Context*), void (*update)(Context*, std::size_t, const std::uint8_t*),
                   void (*finish)(Context*, std::size_t, std::uint8_t*), std::string_view bytes) {
  Context context{};
  init(&context);
  update(&context, bytes.size(), reinterpret_cast<const std::uint8_t*>(bytes.data()));
  std::array<std::uint8_t, Size> out{};
  finish(&context, out.size(), out.data());
  return std::string(reinterpret_cast<const char*>(out.data()), out.size());
}

}  // namespace

std::string sha256Digest(std::string_view bytes) {
  return digest<sha256_ctx, SHA256_DIGEST_SIZE>(sha256_init, sha256_update, sha256_digest, bytes);
}

std::string sha256Hex(std::string_view bytes) { return lowerHex(sha256Digest(bytes)); }

// CloudStack's vm-password-md5checksum.txt is an MD5; nothing here relies on MD5 for security.
std::string md5Hex(std::string_view bytes) {
  return lowerHex(digest<md5_ctx, MD5_DIGEST_SIZE>(md5_init, md5_update, md5_digest, bytes));
}

}  // namespace vcd
