// virt-configdrive-hook: what libvirtd runs from /etc/libvirt/hooks/qemu.d/ and daemon.d/; parses argv and calls
// runHook.
//
// libvirtd starts it anew for every operation on every domain, and most calls concern a domain without a config
// drive or an operation with nothing to do. Those are decided before the C++ runtime starts (.preinit_array runs
// before every static initialiser, libstdc++'s and Nettle's included) and end with _exit(0): a fifth of what the
// process costs (issue 12, docs/performance.md). Everything else runs in main as before.
#include <unistd.h>

#include <iostream>

#include "domain/domain_definition.h"
#include "hook/hook.h"
#include "util/file_io.h"

namespace {

vcd::HookInvocation invocationOf(int argc, char** argv) {
  return {argv[1], argv[2], argc > 3 ? argv[3] : "", vcd::hookDriverFor(argv[0])};
}

// The domain XML, read before the C++ runtime started, when the call needs it and it names the namespace: a plain
// pointer, which no static initialiser resets.
vcd::FdContents* earlyDomainXml = nullptr;

void decideBeforeTheRuntimeStarts(int argc, char** argv, char** /*environment*/) {
  if (argc < 3) return;  // main prints the usage
  try {
    vcd::HookInvocation call = invocationOf(argc, argv);
    if (call.driver != vcd::HookDriver::Qemu) return;
    if (!vcd::readsDomainXml(call, ::geteuid() == 0)) ::_exit(0);
    auto* contents = new vcd::FdContents(vcd::readFdContents(STDIN_FILENO, vcd::kMaxDomainXmlBytes));
    bool complete = contents->end == vcd::FdContents::End::Complete;
    if (complete && !vcd::mentionsConfigDriveNamespace(contents->data)) ::_exit(0);
    earlyDomainXml = contents;
  } catch (...) {
    // Out of memory this early: main goes on with what stdin still holds, and reports what fails.
  }
}

[[gnu::section(".preinit_array"), gnu::used]] void (*const kDecideEarly)(int, char**, char**) =
    decideBeforeTheRuntimeStarts;

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr
        << "usage: virt-configdrive-hook DOMAIN OPERATION SUBOPERATION EXTRA (run by libvirtd, domain XML on stdin)\n";
    return 2;
  }
  std::ios::sync_with_stdio(false);
  vcd::SyslogActionLog log;
  vcd::HookContext context{vcd::HostPaths{}, ::geteuid() == 0, ::getppid(), log, std::cout, std::cerr};
  auto readDomainXml = [] {
    vcd::FdContents contents = earlyDomainXml != nullptr ? std::move(*earlyDomainXml)
                                                         : vcd::readFdContents(STDIN_FILENO, vcd::kMaxDomainXmlBytes);
    delete earlyDomainXml;
    earlyDomainXml = nullptr;
    return vcd::completeContents(std::move(contents), vcd::kMaxDomainXmlBytes, vcd::kDomainXmlOnStdin);
  };
  return vcd::runHook(invocationOf(argc, argv), readDomainXml, context);
}
