// What the hook decides before the C++ runtime starts (see early_exit.h for what code here may not use).
#include "hook/early_exit.h"

#include <unistd.h>

#include "domain/domain_definition.h"

namespace vcd {

HookInvocation invocationOf(int argc, char** argv) {
  return {argv[1], argv[2], argc > 3 ? argv[3] : "", hookDriverFor(argv[0])};
}

HookDriver hookDriverFor(const std::string& argv0) {
  std::size_t slash = argv0.rfind('/');
  std::string directory = slash == std::string::npos ? std::string() : argv0.substr(0, slash);
  bool daemon = directory.ends_with("/daemon.d") || directory == "daemon.d" || argv0.ends_with("/hooks/daemon");
  return daemon ? HookDriver::Daemon : HookDriver::Qemu;
}

HookOperation operationOf(const HookInvocation& call) {
  const std::string& op = call.operation;
  const std::string& sub = call.subOperation;
  if (op == "prepare" && sub == "begin") return HookOperation::Prepare;
  if ((op == "migrate" || op == "restore") && sub == "begin") return HookOperation::Arrive;
  if (op == "release" && sub == "end") return HookOperation::Release;
  return HookOperation::Other;
}

bool readsDomainXml(const HookInvocation& call, bool privileged) {
  return privileged && call.driver == HookDriver::Qemu && operationOf(call) != HookOperation::Other;
}

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
