// Passwords as the crypt(3) hashes that /etc/shadow and `chpasswd -e` take (libcrypt, from Debian's libxcrypt).
#include "util/password_hash.h"

#include <crypt.h>

#include <cstring>
#include <memory>

#include "util/error.h"

namespace vcd {

namespace {

// struct crypt_data is 32 KiB: on the heap, not on the hook's stack.
std::unique_ptr<crypt_data> newCryptData() { return std::make_unique<crypt_data>(); }

std::string withoutNul(std::string_view password) {
  if (password.find('\0') != std::string_view::npos) throw Error("password: holds a NUL byte");
  return std::string(password);
}

}  // namespace

std::string sha512CryptHash(std::string_view password, std::string_view saltBytes) {
  const std::string clear = withoutNul(password);
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  if (crypt_gensalt_rn("$6$", 0, saltBytes.data(), static_cast<int>(saltBytes.size()), setting, sizeof setting) ==
      nullptr) {
    throwErrno("password: libcrypt cannot make a SHA-512 salt");
  }
  auto data = newCryptData();
  const char* hash = crypt_rn(clear.c_str(), setting, data.get(), sizeof *data);
  if (hash == nullptr || hash[0] == '*') throwErrno("password: libcrypt cannot hash it with SHA-512");
  return hash;
}

bool cryptHashMatches(std::string_view password, const std::string& hash) {
  if (password.find('\0') != std::string_view::npos) return false;
  auto data = newCryptData();
  const char* computed = crypt_rn(std::string(password).c_str(), hash.c_str(), data.get(), sizeof *data);
  return computed != nullptr && computed[0] != '*' && hash == computed;
}

}  // namespace vcd
