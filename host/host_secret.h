// This host's secret (/etc/virt-configdrive/secret.key) and the passwords sealed with it: <cd:password sealed="v2">.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "domain/configdrive_metadata.h"
#include "util/secret.h"

namespace vcd {

// A sealed password opened: its clear text, and the salt of its crypt hash, drawn when it was set (nullopt for a v1
// value, sealed by an earlier release without one).
struct OpenedPassword {
  std::string password;
  std::optional<std::string> salt;

  bool operator==(const OpenedPassword&) const = default;
};

// Bytes of a crypt salt drawn with a password: 128 bits, of which SHA-512 crypt's 16 salt characters keep 96.
constexpr std::size_t kPasswordSaltBytes = 16;

class HostSecret {
 public:
  // Reads the key, creating it (0600, 32 random bytes) when missing: what the CLI does before sealing.
  static HostSecret loadOrCreate(const std::filesystem::path& file);
  // Reads the key; nullopt when the file does not exist.
  static std::optional<HostSecret> loadIfPresent(const std::filesystem::path& file);

  // The v2 sealing of a domain's password with a new salt from getrandom(2): base64(nonce ‖ AES-256-GCM
  // ciphertext of salt ‖ password ‖ tag), bound to the domain UUID. Setting the same password again seals another
  // salt, so that the guest's hash changes and the guest applies it again.
  SealedPassword sealPassword(const std::string& domainUuid, const std::string& password) const;
  // nullopt when this key did not seal it for this domain (another host's key, another domain, altered text).
  std::optional<OpenedPassword> openPassword(const std::string& domainUuid, const SealedPassword& sealed) const;

 private:
  explicit HostSecret(std::string key) : key_(std::move(key)) {}
  SecretString key_;
};

}  // namespace vcd
