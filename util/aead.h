// Authenticated encryption (AES-256-GCM, Nettle) of small secrets such as passwords.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vcd {

constexpr std::size_t kAeadKeyBytes = 32;

// `count` random bytes from the kernel's generator (getrandom(2)), which also seeds GnuTLS's and OpenSSL's.
std::string randomBytes(std::size_t count);

// A key for seal and open: kAeadKeyBytes random bytes.
std::string randomKey();

// nonce (12 bytes) ‖ ciphertext ‖ tag (16 bytes). `context` is authenticated, not encrypted: sealed text only
// opens with the same key and context.
std::string seal(std::string_view key, std::string_view context, std::string_view plaintext);

// The plaintext, or nullopt when the key or context differ or the sealed bytes were altered.
std::optional<std::string> open(std::string_view key, std::string_view context, std::string_view sealed);

}  // namespace vcd
