// The hook's call as libvirt makes it (see early_exit.h for what code here may not use).
#include "hook/invocation.h"

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

}  // namespace vcd
