// Passwords as the crypt(3) hashes that /etc/shadow and `chpasswd -e` take (libcrypt, from Debian's libxcrypt).
#pragma once

#include <string>
#include <string_view>

namespace vcd {

// The SHA-512 crypt hash ("$6$<salt>$<hash>", 5000 rounds) of `password`, its salt made by libcrypt from
// `saltBytes` (at least 16 bytes; the caller decides where they come from). Throws Error when the password holds
// a NUL byte (crypt(3) would hash only what comes before it) or libcrypt refuses.
std::string sha512CryptHash(std::string_view password, std::string_view saltBytes);

// Whether `hash` is the crypt hash of `password` (any method libcrypt knows).
bool cryptHashMatches(std::string_view password, const std::string& hash);

}  // namespace vcd
