// The libvirt qemu hook: dispatch of `virt-configdrive-hook DOMAIN OP SUBOP EXTRA` to the operations of SPEC §5.
#include "hook/hook.h"

#include "domain/domain_definition.h"
#include "hook/operations.h"
#include "host/hook_scan.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/text.h"

namespace vcd {

namespace {

enum class Operation { Prepare, Arrive, Release, Other };

Operation operationOf(const HookInvocation& call) {
  const std::string& op = call.operation;
  const std::string& sub = call.subOperation;
  if (op == "prepare" && sub == "begin") return Operation::Prepare;
  if ((op == "migrate" || op == "restore") && sub == "begin") return Operation::Arrive;
  if (op == "release" && sub == "end") return Operation::Release;
  return Operation::Other;
}

// The daemon hook: libvirt rescans its hooks just before it runs this at its start and on SIGHUP. The record of
// it tells `doctor` whether the running daemon knows the qemu hook. It never fails the daemon.
int noteHookRescan(const HookInvocation& call, const HookContext& context) {
  if (call.operation != "start" && call.operation != "reload") return 0;
  try {
    recordHookScan(context.paths.runtimeDir, context.daemonPid);
  } catch (const std::exception& error) {
    std::string line = oneLine(std::string("recording the daemon's hook rescan: ") + error.what());
    context.err << "virt-configdrive: warning: " << line << '\n';
    context.log.warning(line);
  }
  return 0;
}

}  // namespace

HookDriver hookDriverFor(const std::string& argv0) {
  std::size_t slash = argv0.rfind('/');
  std::string directory = slash == std::string::npos ? std::string() : argv0.substr(0, slash);
  bool daemon = directory.ends_with("/daemon.d") || directory == "daemon.d" || argv0.ends_with("/hooks/daemon");
  return daemon ? HookDriver::Daemon : HookDriver::Qemu;
}

bool readsDomainXml(const HookInvocation& call, bool privileged) {
  return privileged && call.driver == HookDriver::Qemu && operationOf(call) != Operation::Other;
}

int runHook(const HookInvocation& call, std::istream& domainXml, const HookContext& context) {
  return runHook(call, [&domainXml] { return readStream(domainXml, kMaxDomainXmlBytes, kDomainXmlOnStdin); },
                 context);
}

int runHook(const HookInvocation& call, const std::function<std::string()>& readDomainXml,
            const HookContext& context) {
  if (!context.privileged) return 0;
  if (call.driver == HookDriver::Daemon) return noteHookRescan(call, context);
  // Anything else (reconnect above all: failing it makes libvirt kill the VM) ends here, at once.
  if (!readsDomainXml(call, context.privileged)) return 0;
  Operation operation = operationOf(call);
  try {
    std::string xml = readDomainXml();
    std::optional<DomainDefinition> parsed = parseConfigDriveDomain(xml);
    if (!parsed) return 0;
    const DomainDefinition& domain = *parsed;
    // Only an arrival rewrites the XML; the others give its memory back before the drive is built.
    if (operation != Operation::Arrive) std::string().swap(xml);
    switch (operation) {
      case Operation::Prepare:
        prepareDrive(domain, context);
        break;
      case Operation::Arrive:
        arriveWithDrive(domain, xml, context);
        break;
      case Operation::Release:
        releaseDrive(domain, context);
        break;
      case Operation::Other:
        break;
    }
    return 0;
  } catch (const std::exception& error) {  // vcd::Error, and what the libraries throw (bad_alloc, filesystem…)
    reportProblem(context.err, context.log, quotedValue(call.domain) + ": " + error.what());
    return 1;
  }
}

}  // namespace vcd
