// The one error type of virt-configdrive: a message naming the domain, file or element it concerns.
#pragma once

#include <stdexcept>
#include <string>

namespace vcd {

// Libraries throw Error; only the two mains turn it into a message line (host/action_log) and an exit code.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws Error("<what>: <strerror(errnum)>").
[[noreturn]] void throwSystemError(const std::string& what, int errnum);

// Throws Error("<what>: <strerror(errno)>").
[[noreturn]] void throwErrno(const std::string& what);

}  // namespace vcd
