// The libvirt qemu hook: `virt-configdrive-hook DOMAIN OP SUBOP EXTRA` with the domain XML on stdin (SPEC §5).
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <functional>
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

// libvirt's own domain XML is kilobytes; a drive's metadata within it is bounded by the ISO's 64 MiB.
inline constexpr std::size_t kMaxDomainXmlBytes = 96u << 20;
inline constexpr const char* kDomainXmlOnStdin = "the domain XML on stdin";

// Whether the call reads the domain XML on stdin: a privileged qemu-driver call that may place or remove a drive
// (prepare, migrate and restore begin; release end). Every other call ends at once, without reading it. Safe to
// call before the C++ runtime has started.
bool readsDomainXml(const HookInvocation& call, bool privileged);

// Runs one hook call; returns the exit status (0, or 1 with one line on err). readDomainXml gives the domain XML
// (Error when it cannot) and is called only when readsDomainXml says so.
int runHook(const HookInvocation& call, const std::function<std::string()>& readDomainXml,
            const HookContext& context);

// The same, the XML read from a stream (the tests and the benchmarks).
int runHook(const HookInvocation& call, std::istream& domainXml, const HookContext& context);

}  // namespace vcd
