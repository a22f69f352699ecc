// `prepare begin`, and the build-and-place step every operation that places a drive shares.
#include "hook/operations.h"
#include "host/domain_drive.h"
#include "host/domain_lock.h"
#include "util/error.h"
#include "util/text.h"

namespace vcd {

void placeDomainDrive(const DomainDefinition& domain, const HostConfig& config, Replace replace,
                      const HookContext& context) {
  std::optional<DomainDrive> drive = buildDomainDrive(domain, config, context.paths);
  if (!drive) {
    context.log.warning(domain.name + ": has cd:configdrive but no CD-ROM named " + domain.uuid +
                        ".iso; no drive built");
    return;
  }
  for (const std::string& warning : drive->warnings) {
    reportWarning(context.err, context.log, printableValue(domain.name), warning);
  }
  DomainLock lock = DomainLock::acquire(drive->pool, domain.uuid);
  Placement placement = placeIso(drive->pool, domain.uuid, drive->iso, replace);
  context.log.info(domain.name + ": " +
                   (placement == Placement::Placed ? "placed config drive " : "config drive unchanged at ") +
                   drive->pool.isoPath(domain.uuid).string());
}

void prepareDrive(const DomainDefinition& domain, const HookContext& context) {
  placeDomainDrive(domain, loadHostConfig(context.paths.configFile), Replace::KeepIdentical, context);
}

}  // namespace vcd
