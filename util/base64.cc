// Base64 decoding and encoding (GnuTLS), strict about what it accepts.
#include "util/base64.h"

#include <gnutls/gnutls.h>

#include <algorithm>
#include <cctype>
#include <memory>

namespace vcd {

namespace {

struct GnutlsFree {
  void operator()(unsigned char* p) const { gnutls_free(p); }
};

gnutls_datum_t datumOf(std::string_view s) {
  return {reinterpret_cast<unsigned char*>(const_cast<char*>(s.data())), static_cast<unsigned>(s.size())};
}

}  // namespace

std::optional<std::string> decodeBase64(std::string_view text) {
  std::string compact;
  std::copy_if(text.begin(), text.end(), std::back_inserter(compact), [](unsigned char c) { return !std::isspace(c); });
  if (compact.empty()) return std::string();
  // GnuTLS tolerates a missing final padding; base64 in domain XML must be complete.
  if (compact.size() % 4 != 0) return std::nullopt;
  gnutls_datum_t in = datumOf(compact);
  gnutls_datum_t out{};
  if (gnutls_base64_decode2(&in, &out) < 0) return std::nullopt;
  std::unique_ptr<unsigned char, GnutlsFree> owner(out.data);
  return std::string(reinterpret_cast<const char*>(out.data), out.size);
}

std::string encodeBase64(std::string_view bytes) {
  if (bytes.empty()) return std::string();
  gnutls_datum_t in = datumOf(bytes);
  gnutls_datum_t out{};
  if (gnutls_base64_encode2(&in, &out) < 0) throw std::bad_alloc();
  std::unique_ptr<unsigned char, GnutlsFree> owner(out.data);
  return std::string(reinterpret_cast<const char*>(out.data), out.size);
}

}  // namespace vcd
