// What the hook decides before the C++ runtime starts: the calls with nothing to do (another operation, XML
// without the config-drive namespace) end there, from .preinit_array (hook/main.cc), before any static
// initialiser has run, libstdc++'s and Nettle's included.
//
// What runs there may use the stack, the heap (operator new, std::string), exceptions and system calls, and
// nothing a static initialiser sets up: no iostreams (std::cout, std::cerr), no locale, no syslog, no static
// object with a constructor, no libvirt-like library state. Everything it calls is in this file, but for what obeys
// the same rules and says so: the call's reading (hook/invocation), readFdContents (util/file_io) and
// mentionsConfigDriveNamespace (domain/domain_definition), which runHook uses too, so that both paths decide alike.
#pragma once

#include <cstddef>
#include <string>

#include "util/file_io.h"

namespace vcd {

// The early decision for argv, with the domain XML read from stdin when the call needs it: _exit(0) when there is
// nothing to do; the XML read when there is (main goes on with it); nullptr when main decides (a usage error, the
// daemon driver). When anything fails there (out of memory), stdin may be partly consumed and what is left may
// lack the namespace: it writes one fixed line to fd 2 and _exit(1), rather than let main read the rest and
// find no drive to build.
FdContents* decideBeforeTheRuntimeStarts(int argc, char** argv, bool privileged);

}  // namespace vcd
