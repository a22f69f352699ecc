// DriveFiles → ISO 9660 bytes (Rock Ridge + Joliet), in process with libisofs, byte-identical for the same input.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "iso/drive_layout.h"

namespace vcd {

constexpr std::size_t kMaxIsoBytes = 64u << 20;

// Builds the ISO image. Files sharing one data pointer share one extent. Throws Error when libisofs fails or
// the image would be larger than kMaxIsoBytes.
std::string writeIso(const std::string& label, const std::vector<DriveFile>& files);

}  // namespace vcd

namespace vcd {

// The whole drive (docs/drive-format.md): layOutDrive + writeIso.
std::string writeDriveIso(DriveContent content);

}  // namespace vcd
