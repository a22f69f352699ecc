// Builders for system-call errors.
#include "util/error.h"

#include <cerrno>
#include <cstring>

namespace vcd {

void throwSystemError(const std::string& what, int errnum) { throw Error(what + ": " + std::strerror(errnum)); }

void throwErrno(const std::string& what) { throwSystemError(what, errno); }

}  // namespace vcd
