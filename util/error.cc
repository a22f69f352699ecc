// Builders for system-call errors.
#include "util/error.h"

#include <cerrno>
#include <cstring>
#include <ostream>

#include "util/text.h"

namespace vcd {

std::string oneLine(const std::string& message) { return printableLine(message); }

void printWarning(std::ostream& err, const std::string& subject, const std::string& warning) {
  err << "virt-configdrive: " << oneLine((subject.empty() ? "" : subject + ": ") + "warning: " + warning) << '\n';
}

void throwSystemError(const std::string& what, int errnum) { throw Error(what + ": " + std::strerror(errnum)); }

void throwErrno(const std::string& what) { throwSystemError(what, errno); }

}  // namespace vcd
