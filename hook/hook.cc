// The libvirt qemu hook: dispatch of `virt-configdrive-hook DOMAIN OP SUBOP EXTRA` to its operations
// (docs/drive-format.md, "When the hook builds it").
#include "hook/hook.h"

#include "domain/domain_definition.h"
#include "hook/operations.h"
#include "host/hook_scan.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/text.h"

namespace vcd {

namespace {

// The daemon hook: libvirt rescans its hooks just before it runs this at its start and on SIGHUP. The record of
// it tells `doctor` whether the running daemon knows the qemu hook. It never fails the daemon.
int noteHookRescan(const HookInvocation& call, const HookContext& context) {
  if (call.operation != "start" && call.operation != "reload") return 0;
  try {
    recordHookScan(context.paths.runtimeDir, context.daemonPid);
  } catch (const std::exception& error) {
    reportWarning(context.err, context.log, "", std::string("recording the daemon's hook rescan: ") + error.what());
  }
  return 0;
}

}  // namespace

int runHook(const HookInvocation& call, std::istream& domainXml, const HookContext& context) {
  auto readDomainXml = [&domainXml] { return readStream(domainXml, kMaxDomainXmlBytes, kDomainXmlOnStdin); };
  return runHook(call, readDomainXml, context);
}

int runHook(const HookInvocation& call, const std::function<std::string()>& readDomainXml, const HookContext& context) {
  if (!context.privileged) return 0;
  if (call.driver == HookDriver::Daemon) return noteHookRescan(call, context);
  // Anything else (reconnect above all: failing it makes libvirt kill the VM) ends here, at once.
  if (!readsDomainXml(call, context.privileged)) return 0;
  HookOperation operation = operationOf(call);
  try {
    std::string xml = readDomainXml();
    std::optional<DomainDefinition> parsed = parseConfigDriveDomain(xml);
    if (!parsed) return 0;
    const DomainDefinition& domain = *parsed;
    // Only an arrival rewrites the XML; the others give its memory back before the drive is built.
    if (operation != HookOperation::Arrive) std::string().swap(xml);
    switch (operation) {
      case HookOperation::Prepare:
        prepareDrive(domain, context);
        break;
      case HookOperation::Arrive:
        arriveWithDrive(domain, xml, context);
        break;
      case HookOperation::Release:
        releaseDrive(domain, context);
        break;
      case HookOperation::Other:
        break;
    }
    return 0;
  } catch (const std::exception& error) {  // vcd::Error, and what the libraries throw (bad_alloc, filesystem…)
    reportProblem(context.err, context.log, printableValue(call.domain) + ": " + error.what());
    return 1;
  }
}

}  // namespace vcd
