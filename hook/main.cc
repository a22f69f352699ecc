// virt-configdrive-hook: what libvirtd runs from /etc/libvirt/hooks/qemu.d/ and daemon.d/; parses argv and calls
// runHook.
#include <unistd.h>

#include <iostream>

#include "hook/hook.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr
        << "usage: virt-configdrive-hook DOMAIN OPERATION SUBOPERATION EXTRA (run by libvirtd, domain XML on stdin)\n";
    return 2;
  }
  std::ios::sync_with_stdio(false);
  vcd::SyslogActionLog log;
  vcd::HookContext context{vcd::HostPaths{}, ::geteuid() == 0, ::getppid(), log, std::cout, std::cerr};
  vcd::HookInvocation call{argv[1], argv[2], argc > 3 ? argv[3] : "", vcd::hookDriverFor(argv[0])};
  return vcd::runHook(call, std::cin, context);
}
