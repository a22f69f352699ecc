// The libvirt qemu hook: `virt-configdrive-hook DOMAIN OP SUBOP EXTRA` with the domain XML on stdin
// (docs/drive-format.md, "When the hook builds it").
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <functional>
#include <istream>
#include <ostream>
#include <string>

#include "hook/invocation.h"
#include "host/action_log.h"
#include "host/host_config.h"

namespace vcd {

// The world the hook runs in, injected so that tests run it in-process.
struct HookContext {
  HostPaths paths;
  bool privileged = true;  // false under a session (unprivileged) libvirtd: the hook does nothing there
  pid_t daemonPid = 0;     // the libvirt daemon that ran the hook (its parent)
  ActionLog& log;
  std::ostream& out;  // only XML meant for libvirt
  std::ostream& err;  // one line per error or warning
};

inline constexpr const char* kDomainXmlOnStdin = "the domain XML on stdin";

// Runs one hook call; returns the exit status (0, or 1 with one line on err). readDomainXml gives the domain XML
// (Error when it cannot) and is called only when readsDomainXml says so.
int runHook(const HookInvocation& call, const std::function<std::string()>& readDomainXml, const HookContext& context);

// The same, the XML read from a stream (the tests and the benchmarks).
int runHook(const HookInvocation& call, std::istream& domainXml, const HookContext& context);

}  // namespace vcd
