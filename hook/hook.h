// The libvirt qemu hook: `qemu-hook DOMAIN OP SUBOP EXTRA` with the domain XML on stdin (SPEC §5).
#pragma once

#include <istream>
#include <ostream>
#include <string>

#include "host/action_log.h"
#include "host/host_config.h"

namespace vcd {

struct HookInvocation {
  std::string domain;
  std::string operation;
  std::string subOperation;
};

// The world the hook runs in, injected so that tests run it in-process.
struct HookContext {
  HostPaths paths;
  bool privileged = true;  // false under a session (unprivileged) libvirtd: the hook does nothing there
  ActionLog& log;
  std::ostream& out;  // only XML meant for libvirt
  std::ostream& err;  // one line per error or warning
};

// Runs one hook call; returns the exit status (0, or 1 with one line on err).
int runHook(const HookInvocation& call, std::istream& domainXml, const HookContext& context);

}  // namespace vcd
