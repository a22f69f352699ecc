// The guest follower (guest/follow_drive.py, embedded when the project is built) as vendor data parts: what makes a
// cloud-init guest follow its drive without a new instance id (README, "What reaches the guest, and when").
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vcd {

// The parts, in order: the follower as a boothook (cloud-init runs it at every boot; it installs the udev rule that
// runs it again when the CD-ROM's medium changes, and the unit that runs it before the network starts), and a vendor
// script that runs it once per instance after cloud-init's own modules.
const std::vector<std::string>& followerParts();

// Whether a vendor data part is the follower's boothook, of this build or another.
bool isFollowerBoothook(std::string_view part);

// guest/follow_drive.py as this build embeds it.
std::string_view followDriveScript();

}  // namespace vcd
