// The swap of a running domain's config drive: eject, place, insert, for `update` and `watch`.
#include "cli/media_swap.h"

#include "domain/domain_editor.h"
#include "host/domain_lock.h"
#include "host/iso_placement.h"

namespace vcd {

namespace {

// A live media change is tried a second time when the guest's tray is the trouble. libvirt reports a tray the guest
// keeps locked as VIR_ERR_OPERATION_FAILED, the code of many other failures too; only its message tells them apart
// ("timed out waiting to open tray of 'hdd'", qemu_hotplug.c). A guest that mounts the drive now and then, or polls
// the empty drive (a mount loop, udev), holds the tray for a moment: the second attempt then finds it free.
bool isTrayTrouble(const std::string& message) { return message.find("tray") != std::string::npos; }

// Returns "" on success, else libvirt's message.
std::string changeMedium(DomainMedia& media, const std::string& xml, bool force) {
  std::string message;
  for (int attempt = 0; attempt < 2; ++attempt) {
    message = media.changeMedium(xml, force);
    if (message.empty() || !isTrayTrouble(message)) break;
  }
  return message;
}

void ejectCdrom(DomainMedia& media, const CdromSlot& cdrom, bool force, const std::string& lockedAdvice) {
  std::string message = changeMedium(media, cdromDeviceXml(cdrom, ""), force);
  if (message.empty()) return;
  if (!isTrayTrouble(message)) {
    throw Error("ejecting the config drive from " + cdrom.target + ": " + message + "; nothing was changed");
  }
  throw TrayLockedError("ejecting the config drive from " + cdrom.target +
                        ": the guest has the drive mounted and holds its tray locked; " + lockedAdvice);
}

// What gives the guest its drive back when an insert failed: virsh at once, or the next update or watch, which find
// the CD-ROM empty (fillEmptiedConfigDriveCdrom).
std::string reinsertAdvice(const DomainMedia& media, const CdromSlot& cdrom, const std::string& isoPath) {
  return "the guest has no config drive until 'virsh change-media " + media.name() + ' ' + cdrom.target + " --insert " +
         isoPath + "' succeeds, or the next update or watch puts it back";
}

void insertCdrom(DomainMedia& media, const CdromSlot& cdrom, const std::string& isoPath) {
  std::string message = changeMedium(media, cdromDeviceXml(cdrom, isoPath), false);
  if (!message.empty()) {
    throw Error("inserting " + isoPath + " into " + cdrom.target + ": " + message + "; " +
                reinsertAdvice(media, cdrom, isoPath));
  }
}

}  // namespace

DriveSwap swapRunningDrive(DomainMedia& media, const std::string& uuid, const DomainDrive& drive,
                           const DriveSwapOptions& options) {
  DomainLock lock = DomainLock::acquire(drive.pool, uuid);
  const bool placed = holdsIso(drive.pool, uuid, drive.iso);
  if (placed && !options.slotEmpty) {
    options.withPlacement();
    return DriveSwap::Unchanged;
  }
  auto place = [&] {
    options.withPlacement();
    if (!placed) placeIso(drive.pool, uuid, drive.iso, Replace::Always);
  };
  if (!options.reattach) {
    place();
    return DriveSwap::Placed;
  }
  const std::string isoPath = drive.pool.isoPath(uuid).string();
  options.beforeEject();
  if (!options.slotEmpty) ejectCdrom(media, drive.cdrom, options.forceEject, options.lockedAdvice);
  try {
    place();
  } catch (const std::exception& failure) {
    // The previous drive, still in place, goes back in. When that fails too, the user needs both reasons.
    try {
      insertCdrom(media, drive.cdrom, isoPath);
    } catch (const std::exception& putBack) {
      throw Error(std::string(failure.what()) + "; putting the previous drive back failed too: " + putBack.what());
    }
    throw Error(std::string(failure.what()) + "; the guest has its previous drive back");
  }
  insertCdrom(media, drive.cdrom, isoPath);
  return DriveSwap::Swapped;
}

bool withEmptiedSlot(const DomainMedia& media, DomainDefinition& live) {
  if (configDriveCdrom(live)) return false;
  std::optional<std::string> persistent = media.persistentXml();
  return persistent && fillEmptiedConfigDriveCdrom(live, parseDomainXml(*persistent));
}

}  // namespace vcd
