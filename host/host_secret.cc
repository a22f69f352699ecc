// This host's secret (/etc/virt-configdrive/secret.key) and the passwords sealed with it: <cd:password sealed="v2">,
// and the previous release's sealed="v1", still opened.
#include "host/host_secret.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "util/aead.h"
#include "util/base64.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/secret.h"

namespace vcd {

namespace {

// The scheme is in the context too: a value sealed one way never opens as the other.
std::string sealingContext(const std::string& scheme, const std::string& domainUuid) {
  return "virt-configdrive password " + scheme + " " + domainUuid;
}

std::optional<std::string> readKey(const std::filesystem::path& file) {
  UniqueFd fd(::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (!fd.valid()) {
    if (errno == ENOENT) return std::nullopt;
    throwErrno(file.string() + ": cannot open");
  }
  // Whoever else could change or link it could read every password sealed with it, or seal their own.
  requireOwnSoleFile(fd.get(), file.string());
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) throwErrno(file.string() + ": cannot stat");
  if ((st.st_mode & 077) != 0) {
    throw Error(file.string() + ": readable by group or others (mode " + std::to_string((st.st_mode >> 6) & 7) +
                std::to_string((st.st_mode >> 3) & 7) + std::to_string(st.st_mode & 7) + "); chmod 600 it");
  }
  std::string key = readFile(file, kAeadKeyBytes + 1);
  if (key.size() != kAeadKeyBytes) {
    throw Error(file.string() + ": holds " + std::to_string(key.size()) + " bytes, not a " +
                std::to_string(kAeadKeyBytes) + "-byte key");
  }
  // Copied, not moved: knowing the size, GCC 12 warns (-Warray-bounds, a false positive) that the move would copy
  // 33 bytes out of the string's 16-byte inline buffer. The read buffer is wiped.
  std::optional<std::string> copy(std::in_place, key.begin(), key.end());
  wipe(key);
  return copy;
}

void createKey(const std::filesystem::path& file) {
  std::error_code ignored;
  std::filesystem::create_directories(file.parent_path(), ignored);
  UniqueFd fd(::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!fd.valid()) {
    if (errno == EEXIST) return;  // another process made it first
    throwErrno(file.string() + ": cannot create");
  }
  SecretString key(randomKey());
  writeAll(fd.get(), key.value(), file.string());
  if (::fsync(fd.get()) != 0) throwErrno(file.string() + ": cannot fsync");
}

}  // namespace

HostSecret HostSecret::loadOrCreate(const std::filesystem::path& file) {
  if (std::optional<std::string> key = readKey(file)) return HostSecret(*key);
  createKey(file);
  return HostSecret(*readKey(file));
}

std::optional<HostSecret> HostSecret::loadIfPresent(const std::filesystem::path& file) {
  std::optional<std::string> key = readKey(file);
  if (!key) return std::nullopt;
  return HostSecret(*key);
}

SealedPassword HostSecret::sealPassword(const std::string& domainUuid, const std::string& password) const {
  SecretString plaintext(randomBytes(kPasswordSaltBytes) + password);
  return {"v2", encodeBase64(seal(key_.value(), sealingContext("v2", domainUuid), plaintext.value()))};
}

std::optional<OpenedPassword> HostSecret::openPassword(const std::string& domainUuid,
                                                       const SealedPassword& sealed) const {
  std::optional<std::string> bytes = decodeBase64(sealed.text);
  if (!bytes) return std::nullopt;
  std::optional<std::string> plaintext = open(key_.value(), sealingContext(sealed.scheme, domainUuid), *bytes);
  if (!plaintext) return std::nullopt;
  SecretString opened(std::move(*plaintext));
  if (sealed.scheme == "v1") return OpenedPassword{opened.value(), std::nullopt};
  if (opened.value().size() <= kPasswordSaltBytes) return std::nullopt;
  return OpenedPassword{opened.value().substr(kPasswordSaltBytes), opened.value().substr(0, kPasswordSaltBytes)};
}

}  // namespace vcd
