// Secrets in memory: a string wiped when it goes, and a process that no one can dump or trace to read them.
#include "util/secret.h"

#include <string.h>
#include <sys/prctl.h>

#include "util/error.h"

namespace vcd {

void wipe(std::string& text) {
  explicit_bzero(text.data(), text.size());
  text.clear();
}

SecretString& SecretString::operator=(SecretString&& other) noexcept {
  if (this != &other) {
    wipe(value_);
    value_ = std::move(other.value_);
    wipe(other.value_);
  }
  return *this;
}

void becomeUndumpable() {
  if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) throwErrno("prctl(PR_SET_DUMPABLE, 0)");
}

}  // namespace vcd
