// Reads an ISO image back with libisofs: its label and every regular file (Rock Ridge names), for inspect and tests;
// and the label alone of any image, for the CLI's look at a domain's other CD-ROMs.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>

namespace vcd {

struct IsoFileEntry {
  std::string data;
  std::uint32_t extentBlock = 0;  // first block of the file's data; hard links share it
};

struct IsoContents {
  std::string label;
  std::map<std::string, IsoFileEntry> files;         // "/openstack/latest/user_data" → entry (Rock Ridge names)
  std::optional<std::set<std::string>> jolietPaths;  // the file paths Windows sees; nullopt without Joliet
};

// Throws Error naming the path when it is not a readable ISO 9660 image, or not a regular file, or larger than
// kMaxIsoBytes.
IsoContents readIso(const std::filesystem::path& path);

// The same for an image already in memory; `name` names it in errors.
IsoContents readIsoImage(std::string image, const std::string& name);

// The volume label of the ISO 9660 image in a regular file of any size (another CD-ROM's medium), reading its
// directory tree within a budget; nullopt when the file is not a regular file or not a readable image in it.
std::optional<std::string> readIsoLabel(const std::filesystem::path& path);

}  // namespace vcd
