// A domain's config drive as this host builds it: the checks, the host defaults, the password, the ISO bytes.
#include "host/domain_drive.h"

#include "domain/drive_content_builder.h"
#include "host/host_secret.h"
#include "iso/iso_writer.h"
#include "util/error.h"
#include "util/file_io.h"

namespace vcd {

namespace {

// The hook writes nowhere but this host's pool. A definition naming another path (written on another host, or
// carried over by `virsh migrate --persistent`) is fixed by `enable`, which repoints the CD-ROM here. The path is
// taken as qemu opens it: `<pool>/sub/../<uuid>.iso`, with `sub` a symlink out of the pool, is another file than
// the one the hook would place, so '.' and '..' are refused rather than resolved on paper.
void requirePoolPath(const std::string& domain, const CdromSlot& cdrom, const std::filesystem::path& expected) {
  std::filesystem::path named(cdrom.sourceFile);
  if (hasDotComponents(named)) {
    throw Error("placing the config drive: CD-ROM " + cdrom.target + " names " + cdrom.sourceFile +
                ", a path with '.' or '..' in it; run 'virt-configdrive enable " + domain +
                "' on this host to point it at " + expected.string());
  }
  if (named != expected) {
    throw Error("placing the config drive: CD-ROM " + cdrom.target + " names " + cdrom.sourceFile +
                ", but this host places it at " + expected.string() + "; run 'virt-configdrive enable " + domain +
                "' on this host to point it there");
  }
}

}  // namespace

namespace {

std::optional<OpenedPassword> openSealedPassword(const DomainDefinition& domain, const HostPaths& paths,
                                                 std::vector<std::string>& warnings) {
  const SealedPassword& sealed = *domain.configDrive->sealedPassword;
  const std::string leftOff = "; the drive carries no password";
  try {
    std::optional<HostSecret> secret = HostSecret::loadIfPresent(paths.secretFile);
    if (!secret) {
      warnings.push_back("the password is sealed, but this host has no " + paths.secretFile.string() + leftOff);
      return std::nullopt;
    }
    std::optional<OpenedPassword> password = secret->openPassword(domain.uuid, sealed);
    if (!password) {
      warnings.push_back("the sealed password does not open with " + paths.secretFile.string() +
                         " (sealed on a host with another secret.key?)" + leftOff);
    }
    return password;
  } catch (const Error& error) {
    warnings.push_back(error.what() + leftOff);
    return std::nullopt;
  }
}

}  // namespace

void giveSealedPassword(DriveContent& content, const DomainDefinition& domain, const HostPaths& paths,
                        std::vector<std::string>& warnings) {
  if (!domain.configDrive || !domain.configDrive->sealedPassword) return;
  if (std::optional<OpenedPassword> opened = openSealedPassword(domain, paths, warnings)) {
    content.password = std::move(opened->password);
    content.passwordSalt = std::move(opened->salt);
  }
}

std::optional<DomainDrive> buildDomainDrive(const DomainDefinition& domain, const HostConfig& config,
                                            const HostPaths& paths) {
  std::optional<CdromSlot> cdrom = configDriveCdrom(domain);
  if (!cdrom) return std::nullopt;
  DomainDrive drive{PoolDirectory(resolvePoolPath(config, paths.storageDir), paths.stateDir), *cdrom, {}, {}};
  requirePoolPath(domain.name, *cdrom, drive.pool.isoPath(domain.uuid));

  DriveContent content = driveContentFor(domain, *domain.configDrive, config.drive);
  giveSealedPassword(content, domain, paths, drive.warnings);
  for (const std::string& warning : driveWarnings(domain, *domain.configDrive, content)) {
    drive.warnings.push_back(warning);
  }
  drive.iso = writeDriveIso(std::move(content));
  return drive;
}

}  // namespace vcd
