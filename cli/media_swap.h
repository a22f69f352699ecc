// The media change that swaps a running domain's config drive (SPEC §6: eject, place, insert), for `update` and
// `watch`.
#pragma once

#include <libvirt/libvirt.h>

#include <functional>
#include <string>

#include "domain/domain_definition.h"
#include "util/error.h"

namespace vcd {

// The guest keeps the drive mounted and its tray locked: the eject failed and nothing was changed.
class TrayLockedError : public Error {
 public:
  using Error::Error;
};

// Swaps the medium of a running domain's CD-ROM: ejects it, runs `replace` (what puts the new drive at isoPath,
// and whatever goes with it), and inserts isoPath. When `replace` throws, what isoPath holds then (the previous
// drive) is inserted again before the error passes on: the guest is never left without a drive.
// The eject: a guest that mounts the drive now and then (cloud-init, a script) may hold the tray for a moment;
// libvirt waits 5 s for it, and a second attempt then finds it unlocked. Only a drive mounted through both throws
// TrayLockedError (unless force), ending with `lockedAdvice` (what the caller's user can do about it); any other
// failure throws Error. Either way nothing was changed.
void swapCdromMedium(virDomainPtr domain, const CdromSlot& cdrom, const std::string& isoPath, bool force,
                     const std::string& lockedAdvice, const std::function<void()>& replace);

}  // namespace vcd
