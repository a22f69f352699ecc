// Building and placing a domain's config drive on this host: `prepare begin` (and later migrate/restore).
#include "hook/prepare.h"

#include "domain/drive_content_builder.h"
#include "host/domain_lock.h"
#include "iso/iso_writer.h"
#include "util/error.h"

namespace vcd {

namespace {

// The hook writes nowhere but this host's pool, whatever the domain XML says.
void requirePoolPath(const CdromSlot& cdrom, const std::filesystem::path& expected) {
  std::filesystem::path named = std::filesystem::path(cdrom.sourceFile).lexically_normal();
  if (named != expected) {
    throw Error("placing the config drive: CD-ROM " + cdrom.target + " names " + cdrom.sourceFile +
                ", but this host places it at " + expected.string());
  }
}

// A sealed password is opened with this host's secret; without one it stays off the drive and never blocks.
void warnSealedPassword(const DomainDefinition& domain, const HookContext& context) {
  if (!domain.configDrive->sealedPassword) return;
  std::string line = "virt-configdrive: " + domain.name + ": warning: the sealed password cannot be opened on " +
                     "this host (" + context.paths.secretFile.string() + "); the drive carries no password";
  context.err << line << '\n';
  context.log.warning(line);
}

}  // namespace

void prepareDrive(const DomainDefinition& domain, Replace replace, const HookContext& context) {
  std::optional<CdromSlot> cdrom = configDriveCdrom(domain);
  if (!cdrom) {
    context.log.warning(domain.name + ": has cd:configdrive but no CD-ROM named " + domain.uuid +
                        ".iso; no drive built");
    return;
  }
  HostConfig config = loadHostConfig(context.paths.configFile);
  PoolDirectory pool(resolvePoolPath(config, context.paths.storageDir));
  requirePoolPath(*cdrom, pool.isoPath(domain.uuid));

  DriveContent content = driveContentFor(domain, *domain.configDrive, config.drive);
  warnSealedPassword(domain, context);
  std::string iso = writeDriveIso(content);

  DomainLock lock = DomainLock::acquire(pool, domain.uuid);
  Placement placement = placeIso(pool, domain.uuid, iso, replace);
  context.log.info(domain.name + ": " +
                   (placement == Placement::Placed ? "placed config drive " : "config drive unchanged at ") +
                   pool.isoPath(domain.uuid).string());
}

}  // namespace vcd
