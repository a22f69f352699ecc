// The swap of a running domain's config drive: eject, place, insert, for `update` and `watch`: the one
// place its steps are written.
#pragma once

#include <functional>
#include <string>

#include "host/domain_drive.h"
#include "util/error.h"
#include "virt/domain_media.h"

namespace vcd {

// The guest keeps the drive mounted and its tray locked: the eject failed and nothing was changed.
class TrayLockedError : public Error {
 public:
  using Error::Error;
};

struct DriveSwapOptions {
  // Eject even when the guest holds the tray locked (update --force); the guest then loses the mounted drive.
  bool forceEject = false;
  // Place the new drive but leave the medium qemu holds alone (update --no-reattach).
  bool reattach = true;
  // The end of the TrayLockedError's message: what the caller's user can do about a locked tray.
  std::string lockedAdvice;
  // Runs under the domain's lock, before the new drive is placed (after the eject when there is one), or alone when
  // the drive is unchanged: what goes with the drive (update: the metadata write).
  std::function<void()> withPlacement = [] {};
  // Runs under the lock when the drive changes, before the eject: what reads the previous drive (watch: which files
  // change), kept out of the time the guest has no medium.
  std::function<void()> beforeEject = [] {};
  // The CD-ROM qemu holds is empty (an insert failed earlier; fillEmptiedConfigDriveCdrom found it): the drive is
  // placed when it changed and inserted, with nothing to eject, even when the pool already holds these bytes.
  bool slotEmpty = false;
};

enum class DriveSwap {
  Unchanged,  // the pool already holds these bytes: nothing placed, nothing ejected
  Placed,     // placed, the medium left alone (reattach false)
  Swapped,    // ejected, placed, inserted
};

// Makes the running domain's drive `drive` (built by buildDomainDrive for the domain of this uuid), under the
// domain's lock. The eject: a guest that mounts the drive now and then (cloud-init, a script) may hold the tray for
// a moment; libvirt waits 5 s for it, and a second attempt then finds it unlocked. Only a drive mounted through
// both throws TrayLockedError (unless forceEject); any other eject failure throws Error. Either way nothing was
// changed. When the placement (or withPlacement) throws, the previous drive, still in place, is inserted again
// before the error passes on, which then says so. Only when an insert fails (that one, or the new drive's) is the
// guest left without a drive; the error then ends with the virsh command that inserts it, and the next swap
// (slotEmpty) inserts it too.
DriveSwap swapRunningDrive(DomainMedia& media, const std::string& uuid, const DomainDrive& drive,
                           const DriveSwapOptions& options);

// fillEmptiedConfigDriveCdrom with the domain's persistent definition, read only when `live` names no drive (the
// domain is then transient, or its CD-ROM empty); returns whether it filled one.
bool withEmptiedSlot(const DomainMedia& media, DomainDefinition& live);

}  // namespace vcd
