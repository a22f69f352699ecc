// The libvirt qemu hook: dispatch of `qemu-hook DOMAIN OP SUBOP EXTRA` to the operations of SPEC §5.
#include "hook/hook.h"

#include "domain/domain_definition.h"
#include "hook/operations.h"
#include "util/error.h"
#include "util/file_io.h"

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

}  // namespace

int runHook(const HookInvocation& call, std::istream& domainXml, const HookContext& context) {
  Operation operation = operationOf(call);
  // Anything else (reconnect above all: failing it makes libvirt kill the VM) ends here, at once.
  if (!context.privileged || operation == Operation::Other) return 0;
  try {
    std::string xml = readStream(domainXml);
    DomainDefinition domain = parseDomainXml(xml);
    if (!domain.configDrive) return 0;
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
  } catch (const Error& error) {
    std::string line = oneLine(call.domain + ": " + error.what());
    context.err << "virt-configdrive: " << line << '\n';
    context.log.warning(line);
    return 1;
  }
}

}  // namespace vcd
