// The guest follower (guest/follow_drive.py, embedded when the project is built) as vendor data parts: what makes a
// cloud-init guest follow its drive without a new instance id (README, "What reaches the guest, and when").
#include "iso/guest_follower.h"

#include "iso/follow_drive_script.h"

namespace vcd {

namespace {

const std::string kBoothookPrefix = "#cloud-boothook\n#!/usr/bin/python3\n\"\"\"virt-configdrive's part in the guest";

// cloud-init runs vendor scripts once per instance, after its own modules: at the instance's first boot the
// follower then records what cloud-init applied. The boothook put the follower there earlier in the same boot; the
// interpreter runs it (it is not executable: root reads it, nobody runs it by its name).
const char* const kInstanceDonePart =
    "#!/bin/sh\n"
    "# virt-configdrive: what cloud-init applied of the drive at this instance's first boot, recorded\n"
    "if [ -f /var/lib/cloud/virt-configdrive/follow_drive.py ]; then\n"
    "  exec /usr/bin/python3 /var/lib/cloud/virt-configdrive/follow_drive.py --instance-done\n"
    "fi\n";

}  // namespace

std::string_view followDriveScript() {
  return {reinterpret_cast<const char*>(kFollowDriveScript), sizeof kFollowDriveScript};
}

const std::vector<std::string>& followerParts() {
  static const std::vector<std::string> parts = {
      "#cloud-boothook\n" + std::string(followDriveScript()),
      kInstanceDonePart,
  };
  return parts;
}

bool isFollowerBoothook(std::string_view part) { return part.substr(0, kBoothookPrefix.size()) == kBoothookPrefix; }

}  // namespace vcd
