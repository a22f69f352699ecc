// This host's secret (/etc/virt-configdrive/secret.key) and the passwords sealed with it: <cd:password sealed="v1">.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace vcd {

class HostSecret {
 public:
  // Reads the key, creating it (0600, 32 random bytes) when missing: what the CLI does before sealing.
  static HostSecret loadOrCreate(const std::filesystem::path& file);
  // Reads the key; nullopt when the file does not exist.
  static std::optional<HostSecret> loadIfPresent(const std::filesystem::path& file);

  // The v1 sealing of a domain's password: base64(nonce ‖ AES-256-GCM ciphertext ‖ tag), bound to the domain UUID.
  std::string sealPassword(const std::string& domainUuid, const std::string& password) const;
  // nullopt when this key did not seal it for this domain (another host's key, another domain, altered text).
  std::optional<std::string> openPassword(const std::string& domainUuid, const std::string& sealed) const;

 private:
  explicit HostSecret(std::string key) : key_(std::move(key)) {}
  std::string key_;
};

}  // namespace vcd
