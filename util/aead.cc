// Authenticated encryption (AES-256-GCM, GnuTLS) of small secrets such as passwords.
#include "util/aead.h"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include <memory>

#include "util/error.h"

namespace vcd {

namespace {

constexpr std::size_t kNonceBytes = 12;
constexpr std::size_t kTagBytes = 16;

struct CipherDeinit {
  void operator()(gnutls_aead_cipher_hd_t handle) const { gnutls_aead_cipher_deinit(handle); }
};
using Cipher = std::unique_ptr<std::remove_pointer_t<gnutls_aead_cipher_hd_t>, CipherDeinit>;

Cipher cipherFor(std::string_view key) {
  if (key.size() != kAeadKeyBytes) throw Error("AES-256-GCM needs a 32-byte key");
  gnutls_datum_t datum{reinterpret_cast<unsigned char*>(const_cast<char*>(key.data())),
                       static_cast<unsigned>(key.size())};
  gnutls_aead_cipher_hd_t handle = nullptr;
  if (gnutls_aead_cipher_init(&handle, GNUTLS_CIPHER_AES_256_GCM, &datum) < 0) {
    throw Error("AES-256-GCM: GnuTLS cannot initialise the cipher");
  }
  return Cipher(handle);
}

std::string randomBytes(std::size_t count, gnutls_rnd_level_t level) {
  std::string bytes(count, '\0');
  if (gnutls_rnd(level, bytes.data(), bytes.size()) < 0) throw Error("GnuTLS cannot produce random bytes");
  return bytes;
}

}  // namespace

std::string randomKey() { return randomBytes(kAeadKeyBytes, GNUTLS_RND_KEY); }

std::string seal(std::string_view key, std::string_view context, std::string_view plaintext) {
  Cipher cipher = cipherFor(key);
  std::string nonce = randomBytes(kNonceBytes, GNUTLS_RND_NONCE);
  std::string sealed(plaintext.size() + kTagBytes, '\0');
  std::size_t sealedSize = sealed.size();
  if (gnutls_aead_cipher_encrypt(cipher.get(), nonce.data(), nonce.size(), context.data(), context.size(), kTagBytes,
                                 plaintext.data(), plaintext.size(), sealed.data(), &sealedSize) < 0) {
    throw Error("AES-256-GCM: GnuTLS cannot encrypt");
  }
  sealed.resize(sealedSize);
  return nonce + sealed;
}

std::optional<std::string> open(std::string_view key, std::string_view context, std::string_view sealed) {
  if (sealed.size() < kNonceBytes + kTagBytes) return std::nullopt;
  Cipher cipher = cipherFor(key);
  std::string_view nonce = sealed.substr(0, kNonceBytes);
  std::string_view body = sealed.substr(kNonceBytes);
  std::string plaintext(body.size(), '\0');
  std::size_t plaintextSize = plaintext.size();
  if (gnutls_aead_cipher_decrypt(cipher.get(), nonce.data(), nonce.size(), context.data(), context.size(), kTagBytes,
                                 body.data(), body.size(), plaintext.data(), &plaintextSize) < 0) {
    return std::nullopt;
  }
  plaintext.resize(plaintextSize);
  return plaintext;
}

}  // namespace vcd
