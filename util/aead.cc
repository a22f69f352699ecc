// Authenticated encryption (AES-256-GCM, Nettle) of small secrets such as passwords.
#include "util/aead.h"

#include <nettle/gcm.h>
#include <nettle/memops.h>
#include <sys/random.h>

#include <string.h>

#include <cerrno>
#include <cstdint>

#include "util/error.h"
#include "util/secret.h"

namespace vcd {

namespace {

constexpr std::size_t kNonceBytes = 12;
constexpr std::size_t kTagBytes = GCM_DIGEST_SIZE;
static_assert(kNonceBytes == GCM_IV_SIZE);

const std::uint8_t* bytesOf(std::string_view s) { return reinterpret_cast<const std::uint8_t*>(s.data()); }
std::uint8_t* bytesOf(std::string& s) { return reinterpret_cast<std::uint8_t*>(s.data()); }

// A cipher keyed with `key`, its nonce set and `context` authenticated: ready to encrypt or decrypt.
gcm_aes256_ctx cipherFor(std::string_view key, std::string_view nonce, std::string_view context) {
  if (key.size() != kAeadKeyBytes) throw Error("AES-256-GCM needs a 32-byte key");
  gcm_aes256_ctx cipher{};
  gcm_aes256_set_key(&cipher, bytesOf(key));
  gcm_aes256_set_iv(&cipher, nonce.size(), bytesOf(nonce));
  gcm_aes256_update(&cipher, context.size(), bytesOf(context));
  return cipher;
}

}  // namespace

std::string randomBytes(std::size_t count) {
  std::string bytes(count, '\0');
  std::size_t filled = 0;
  while (filled < count) {
    ssize_t got = ::getrandom(bytes.data() + filled, count - filled, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throwErrno("getrandom");
    filled += static_cast<std::size_t>(got);
  }
  return bytes;
}

std::string randomKey() { return randomBytes(kAeadKeyBytes); }

std::string seal(std::string_view key, std::string_view context, std::string_view plaintext) {
  std::string sealed = randomBytes(kNonceBytes);
  gcm_aes256_ctx cipher = cipherFor(key, sealed, context);
  sealed.resize(kNonceBytes + plaintext.size() + kTagBytes);
  std::uint8_t* body = bytesOf(sealed) + kNonceBytes;
  gcm_aes256_encrypt(&cipher, plaintext.size(), body, bytesOf(plaintext));
  gcm_aes256_digest(&cipher, kTagBytes, body + plaintext.size());
  explicit_bzero(&cipher, sizeof cipher);  // the expanded key
  return sealed;
}

std::optional<std::string> open(std::string_view key, std::string_view context, std::string_view sealed) {
  if (sealed.size() < kNonceBytes + kTagBytes) return std::nullopt;
  std::string_view body = sealed.substr(kNonceBytes, sealed.size() - kNonceBytes - kTagBytes);
  std::string_view tag = sealed.substr(sealed.size() - kTagBytes);
  gcm_aes256_ctx cipher = cipherFor(key, sealed.substr(0, kNonceBytes), context);
  std::string plaintext(body.size(), '\0');
  gcm_aes256_decrypt(&cipher, body.size(), bytesOf(plaintext), bytesOf(body));
  std::string expectedTag(kTagBytes, '\0');
  gcm_aes256_digest(&cipher, kTagBytes, bytesOf(expectedTag));
  explicit_bzero(&cipher, sizeof cipher);  // the expanded key
  if (memeql_sec(expectedTag.data(), tag.data(), kTagBytes) == 0) {
    wipe(plaintext);
    return std::nullopt;
  }
  return plaintext;
}

}  // namespace vcd
