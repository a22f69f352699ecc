// What the hook decides before the C++ runtime starts (see early_exit.h for what code here may not use).
#include "hook/early_exit.h"

#include <unistd.h>

#include "domain/domain_definition.h"
#include "hook/invocation.h"

namespace vcd {

FdContents* decideBeforeTheRuntimeStarts(int argc, char** argv, bool privileged) {
  if (argc < 3) return nullptr;  // main prints the usage
  try {
    HookInvocation call = invocationOf(argc, argv);
    if (call.driver != HookDriver::Qemu) return nullptr;
    if (!readsDomainXml(call, privileged)) ::_exit(0);
    auto* contents = new FdContents(readFdContents(STDIN_FILENO, kMaxDomainXmlBytes));
    bool complete = contents->end == FdContents::End::Complete;
    if (complete && !mentionsConfigDriveNamespace(contents->data)) ::_exit(0);
    return contents;
  } catch (...) {
    static const char kLine[] = "virt-configdrive: reading the domain XML on stdin failed (out of memory)\n";
    [[maybe_unused]] ssize_t written = ::write(STDERR_FILENO, kLine, sizeof kLine - 1);
    ::_exit(1);
  }
}

}  // namespace vcd
