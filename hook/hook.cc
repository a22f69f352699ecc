// The libvirt qemu hook: dispatch of `qemu-hook DOMAIN OP SUBOP EXTRA` to the operations of SPEC §5.
#include "hook/hook.h"

#include "domain/domain_definition.h"
#include "hook/prepare.h"
#include "util/error.h"
#include "util/file_io.h"

namespace vcd {

namespace {

bool isPrepareBegin(const HookInvocation& call) { return call.operation == "prepare" && call.subOperation == "begin"; }

}  // namespace

int runHook(const HookInvocation& call, std::istream& domainXml, const HookContext& context) {
  // Anything else (reconnect above all: failing it makes libvirt kill the VM) ends here, at once.
  if (!context.privileged || !isPrepareBegin(call)) return 0;
  try {
    DomainDefinition domain = parseDomainXml(readStream(domainXml));
    if (!domain.configDrive) return 0;
    prepareDrive(domain, Replace::KeepIdentical, context);
    return 0;
  } catch (const Error& error) {
    std::string line = oneLine(call.domain + ": " + error.what());
    context.err << "virt-configdrive: " << line << '\n';
    context.log.warning(line);
    return 1;
  }
}

}  // namespace vcd
