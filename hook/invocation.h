// The hook's call as libvirt makes it: which hook directory ran it, the domain, the operation and its sub-operation,
// and what the hook does for each. Used before the C++ runtime starts (hook/early_exit.h), under its rules: nothing
// here uses what a static initialiser sets up.
#pragma once

#include <cstddef>
#include <string>

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

// The call as libvirt made it: argv = {path, DOMAIN, OPERATION, SUBOPERATION, …}; argc at least 3.
HookInvocation invocationOf(int argc, char** argv);

// The driver a hook run as argv0 serves: Daemon when libvirt ran it from hooks/daemon.d/ (or as hooks/daemon).
HookDriver hookDriverFor(const std::string& argv0);

enum class HookOperation { Prepare, Arrive, Release, Other };

// prepare begin; migrate or restore begin (a drive arrives); release end; anything else.
HookOperation operationOf(const HookInvocation& call);

// Whether the call reads the domain XML on stdin: a privileged qemu-driver call that may place or remove a drive
// (prepare, migrate and restore begin; release end). Every other call ends at once, without reading it.
bool readsDomainXml(const HookInvocation& call, bool privileged);

// libvirt's own domain XML is kilobytes; a drive's metadata within it is bounded by the ISO's 64 MiB.
inline constexpr std::size_t kMaxDomainXmlBytes = 96u << 20;

}  // namespace vcd
