// The pool directory of this host, where ISOs live; the staging directory beside it (same filesystem, so that
// rename(2) is atomic); and this host's own state directory (placement records and locks), which is host-local:
// on a shared pool, hosts must never read each other's records.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "util/unique_fd.h"

namespace vcd {

class PoolDirectory {
 public:
  // stateDir: HostPaths::stateDir, this host's own.
  PoolDirectory(const std::filesystem::path& poolPath, std::filesystem::path stateDir);

  const std::filesystem::path& path() const { return path_; }
  // <parent of pool path>/.virt-configdrive: staging files, on the pool's filesystem, never in the pool itself
  // (libvirt lists every file there as a volume).
  std::filesystem::path stagingDir() const { return path_.parent_path() / ".virt-configdrive"; }
  // Placement records and locks.
  const std::filesystem::path& stateDir() const { return stateDir_; }
  std::filesystem::path isoPath(const std::string& uuid) const { return path_ / isoName(uuid); }
  static std::string isoName(const std::string& uuid) { return uuid + ".iso"; }

  // Opens (creating when missing) the pool directory, which may be reached through a symlink: for placing.
  UniqueFd openOrCreatePool() const;
  // Opens the pool directory; nullopt when it does not exist (nothing was ever placed there).
  std::optional<UniqueFd> openExistingPool() const;
  // Open (creating when missing, 0700) the staging and state directories; refused when another user could
  // change them (openPrivateDirectory).
  UniqueFd openStagingDir() const;
  UniqueFd openStateDir() const;

 private:
  std::filesystem::path path_;
  std::filesystem::path stateDir_;
};

}  // namespace vcd
