// Message digests (GnuTLS) as lower-case hex.
#include "util/digest.h"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include <array>
#include <cstdio>

#include "util/error.h"

namespace vcd {

namespace {

std::string hexDigest(gnutls_digest_algorithm_t algorithm, std::string_view bytes) {
  std::array<unsigned char, 64> digest{};
  if (gnutls_hash_fast(algorithm, bytes.data(), bytes.size(), digest.data()) < 0) {
    throw Error(std::string(gnutls_digest_get_name(algorithm)) + ": GnuTLS refused to hash");
  }
  std::string hex;
  for (unsigned i = 0; i < gnutls_hash_get_len(algorithm); ++i) {
    std::array<char, 3> pair{};
    std::snprintf(pair.data(), pair.size(), "%02x", digest[i]);
    hex += pair.data();
  }
  return hex;
}

}  // namespace

std::string sha256Hex(std::string_view bytes) { return hexDigest(GNUTLS_DIG_SHA256, bytes); }

// CloudStack's vm-password-md5checksum.txt is an MD5; nothing here relies on MD5 for security.
std::string md5Hex(std::string_view bytes) { return hexDigest(GNUTLS_DIG_MD5, bytes); }

}  // namespace vcd
