// What the hook decides before the C++ runtime starts: the calls with nothing to do (another operation, XML
// without the config-drive namespace) end there, from .preinit_array (hook/main.cc), before any static
// initialiser has run, libstdc++'s and Nettle's included.
//
// What runs there may use the stack, the heap (operator new, std::string), exceptions and system calls, and
// nothing a static initialiser sets up: no iostreams (std::cout, std::cerr), no locale, no syslog, no static
// object with a constructor, no libvirt-like library state. Everything it calls is in this file, but for two
// functions that obey the same rules and say so: readFdContents (util/file_io) and mentionsConfigDriveNamespace
// (domain/domain_definition), which runHook uses too, so that both paths decide alike.
#pragma once

#include <cstddef>
#include <string>

#include "util/file_io.h"

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

// The early decision for argv, with the domain XML read from stdin when the call needs it: _exit(0) when there is
// nothing to do; the XML read when there is (main goes on with it); nullptr when main decides (a usage error, the
// daemon driver). When anything fails there (out of memory), stdin may be partly consumed and what is left may
// lack the namespace: it writes one fixed line to fd 2 and _exit(1), rather than let main read the rest and
// find no drive to build.
FdContents* decideBeforeTheRuntimeStarts(int argc, char** argv, bool privileged);

}  // namespace vcd
