// The QEMU guest agent of a running domain, through libvirt (libvirt-qemu): files read from the guest with
// guest-file-open, -read and -close, which an agent whose guest-exec is blocked still answers.
#pragma once

#include <libvirt/libvirt.h>

#include <optional>
#include <string>

#include "util/error.h"

namespace vcd {

// The exit status of a command that could not reach the guest agent (man page, EXIT STATUS).
inline constexpr int kExitNoGuestAgent = 3;

// Why the guest agent could not be asked: the domain is not running, it has no agent channel, the agent does not
// answer, or it refuses the commands that read files. The message says which.
class GuestAgentUnreachable : public Error {
 public:
  using Error::Error;
};

class GuestAgent {
 public:
  // Throws GuestAgentUnreachable when the agent does not answer guest-ping within timeoutSeconds.
  GuestAgent(virDomainPtr domain, int timeoutSeconds);

  // The file's contents, at most maxBytes (Error past that); nullopt when the guest has no such file. Throws
  // GuestAgentUnreachable when the agent's guest-file-* commands are blocked, Error naming the path when the agent
  // cannot read it.
  std::optional<std::string> readFile(const std::string& path, std::size_t maxBytes) const;

 private:
  std::string command(const std::string& json) const;

  virDomainPtr domain_;
  int timeoutSeconds_;
};

}  // namespace vcd
