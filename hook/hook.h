// The libvirt qemu hook: `virt-configdrive-hook DOMAIN OP SUBOP EXTRA` with the domain XML on stdin (SPEC §5).
#pragma once

#include <sys/types.h>

#include <istream>
#include <ostream>
#include <string>

#include "host/action_log.h"
#include "host/host_config.h"

namespace vcd {

// Which of the daemon's hook directories ran us: qemu.d/ (domain operations) or daemon.d/ (its start, reload
// and shutdown).
enum class HookDriver { Qemu, Daemon };

struct HookInvocation {
  std::string domain;  // "-" for the daemon driver
  std::string operation;
  std::string subOperation;
  HookDriver driver = HookDriver::Qemu;
};

// The driver a hook run as argv0 serves: Daemon when libvirt ran it from hooks/daemon.d/ (or as hooks/daemon).
HookDriver hookDriverFor(const std::string& argv0);

// The world the hook runs in, injected so that tests run it in-process.
struct HookContext {
  HostPaths paths;
  bool privileged = true;  // false under a session (unprivileged) libvirtd: the hook does nothing there
  pid_t daemonPid = 0;     // the libvirt daemon that ran the hook (its parent)
  ActionLog& log;
  std::ostream& out;  // only XML meant for libvirt
  std::ostream& err;  // one line per error or warning
};

// Runs one hook call; returns the exit status (0, or 1 with one line on err).
int runHook(const HookInvocation& call, std::istream& domainXml, const HookContext& context);

}  // namespace vcd
