// A running domain's drive made equal to its live <cd:configdrive> metadata, whoever changed that metadata (virsh,
// virt-manager, Terraform, a script): what `update` does for a running domain, without ever forcing a locked tray.
// `watch` runs it.
#pragma once

#include "cli/commands.h"
#include "domain/domain_definition.h"
#include "host/host_config.h"
#include "virt/domain_media.h"
#include "virt/libvirt_session.h"

namespace vcd {

enum class Reconciled {
  Unchanged,   // no drive of ours, its drive already equal, or running without the CD-ROM since before enable
  Swapped,     // ejected, placed, inserted
  TrayLocked,  // the guest holds the drive mounted: nothing changed, worth trying again later
  Failed,      // anything else (invalid metadata above all): nothing changed
};

// Whether a drive already equal gets a line too (`watch --once`), or only what changes does (the event-driven watch).
enum class UnchangedDrives { Silent, Reported };

class DriveReconciler {
 public:
  DriveReconciler(HostConfig config, const CommandContext& context, UnchangedDrives unchanged)
      : config_(std::move(config)), context_(context), reportUnchanged_(unchanged == UnchangedDrives::Reported) {}

  // One line on out and in syslog for a swap, one on err and in syslog for a drive it could not change; the drive
  // in place then stays attached as it was.
  Reconciled reconcile(virDomainPtr domain);

 private:
  // True when it swapped the drive; false when there was nothing to swap. slotEmpty: qemu holds the CD-ROM empty,
  // and the drive goes back in (withEmptiedSlot).
  bool swap(DomainMedia& media, const std::string& name, const DomainDefinition& live, bool slotEmpty);

  HostConfig config_;
  const CommandContext& context_;
  bool reportUnchanged_;
};

}  // namespace vcd
