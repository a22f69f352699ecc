// The media change that swaps a running domain's config drive (SPEC §6: eject, place, insert), for `update` and
// `watch`.
#pragma once

#include <libvirt/libvirt.h>

#include <string>

#include "domain/domain_definition.h"
#include "util/error.h"

namespace vcd {

// The guest keeps the drive mounted and its tray locked: the eject failed and nothing was changed.
class TrayLockedError : public Error {
 public:
  using Error::Error;
};

// Ejects the drive from the CD-ROM, live. A guest that mounts the drive now and then (cloud-init, a script) may
// hold the tray for a moment: libvirt waits 5 s for it, and a second attempt then finds it unlocked. Only a drive
// mounted through both throws TrayLockedError (unless force); any other failure throws Error. `lockedAdvice`
// ends the locked message: what the caller's user can do about it.
void ejectCdrom(virDomainPtr domain, const CdromSlot& cdrom, bool force, const std::string& lockedAdvice);

// Inserts the ISO at isoPath into the CD-ROM, live.
void insertCdrom(virDomainPtr domain, const CdromSlot& cdrom, const std::string& isoPath);

}  // namespace vcd
