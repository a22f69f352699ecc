// virt-configdrive-hook: what libvirtd runs from /etc/libvirt/hooks/qemu.d/ and daemon.d/; parses argv and calls
// runHook.
//
// libvirtd starts it anew for every operation on every domain, and most calls concern a domain without a config
// drive or an operation with nothing to do. Those are decided before the C++ runtime starts (.preinit_array runs
// before every static initialiser, libstdc++'s and Nettle's included) and end with _exit(0) (early_exit.h;
// what it saves: docs/performance.md). Everything else runs in main.
#include <unistd.h>

#include <iostream>

#include "hook/early_exit.h"
#include "hook/hook.h"
#include "host/action_log.h"
#include "util/error.h"
#include "util/secret.h"

namespace {

// The domain XML, read before the C++ runtime started, when the call needs it and it names the namespace: a plain
// pointer, which no static initialiser resets.
vcd::FdContents* earlyDomainXml = nullptr;

void decideEarly(int argc, char** argv, char** /*environment*/) {
  earlyDomainXml = vcd::decideBeforeTheRuntimeStarts(argc, argv, ::geteuid() == 0);
}

[[gnu::section(".preinit_array"), gnu::used]] void (*const kDecideEarly)(int, char**, char**) = decideEarly;

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr
        << "usage: virt-configdrive-hook DOMAIN OPERATION SUBOPERATION EXTRA (run by libvirtd, domain XML on stdin)\n";
    return 2;
  }
  std::ios::sync_with_stdio(false);
  // The hook may open secret.key and a domain's password: no core file, no reading of its memory by others.
  try {
    vcd::becomeUndumpable();
  } catch (const vcd::Error& error) {
    std::cerr << vcd::problemLine(error.what()) << '\n';
    return 1;
  }
  vcd::SyslogActionLog log;
  vcd::HookContext context{vcd::HostPaths{}, ::geteuid() == 0, ::getppid(), log, std::cout, std::cerr};
  auto readDomainXml = [] {
    vcd::FdContents contents = earlyDomainXml != nullptr ? std::move(*earlyDomainXml)
                                                         : vcd::readFdContents(STDIN_FILENO, vcd::kMaxDomainXmlBytes);
    delete earlyDomainXml;
    earlyDomainXml = nullptr;
    return vcd::completeContents(std::move(contents), vcd::kMaxDomainXmlBytes, vcd::kDomainXmlOnStdin);
  };
  return vcd::runHook(vcd::invocationOf(argc, argv), readDomainXml, context);
}
