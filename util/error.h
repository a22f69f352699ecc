// The one error type of virt-configdrive: a message naming the domain, file or element it concerns.
#pragma once

#include <iosfwd>
#include <stdexcept>
#include <string>

namespace vcd {

// Libraries throw Error; only the two mains turn it into a message line and an exit code.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The message as errors and warnings are reported: one printable line of bounded length (printableLine).
std::string oneLine(const std::string& message);

// Writes the warning line "virt-configdrive: <subject>: warning: <warning>" (oneLine); an empty subject is left out.
void printWarning(std::ostream& err, const std::string& subject, const std::string& warning);

// Throws Error("<what>: <strerror(errnum)>").
[[noreturn]] void throwSystemError(const std::string& what, int errnum);

// Throws Error("<what>: <strerror(errno)>").
[[noreturn]] void throwErrno(const std::string& what);

}  // namespace vcd
