// `migrate begin` and `restore begin`: the domain arrives on this host, from another host or from a save file.
#include "domain/domain_editor.h"
#include "hook/operations.h"
#include "host/pool_directory.h"

namespace vcd {

void arriveWithDrive(const DomainDefinition& domain, const std::string& domainXml, const HookContext& context) {
  std::optional<CdromSlot> cdrom = configDriveCdrom(domain);
  if (!cdrom) return;
  HostConfig config = loadHostConfig(context.paths.configFile);
  const std::string here =
      PoolDirectory(resolvePoolPath(config, context.paths.storageDir), context.paths.stateDir).isoPath(domain.uuid);
  bool rewrite = std::filesystem::path(cdrom->sourceFile).lexically_normal() != here;

  DomainDefinition arriving = domain;
  if (rewrite) {
    for (CdromSlot& slot : arriving.cdroms) {
      if (slot.sourceFile == cdrom->sourceFile) slot.sourceFile = here;
    }
  }
  // Always a fresh file: qemu must open a drive this host placed, never a stale one of an earlier stay.
  placeDomainDrive(arriving, config, Replace::Always, context);
  if (rewrite) {
    context.out << withConfigDriveSource(domainXml, here);
    context.log.info(domain.name + ": config drive moved from " + cdrom->sourceFile + " to " + here);
  }
}

}  // namespace vcd
