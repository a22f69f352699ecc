// The pool directory of this host, where ISOs live, and its state directory beside it (staging and locks).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "util/unique_fd.h"

namespace vcd {

class PoolDirectory {
 public:
  explicit PoolDirectory(const std::filesystem::path& poolPath);

  const std::filesystem::path& path() const { return path_; }
  // <parent of pool path>/.virt-configdrive: same filesystem as the pool, so rename(2) is atomic.
  std::filesystem::path stateDir() const { return path_.parent_path() / ".virt-configdrive"; }
  std::filesystem::path isoPath(const std::string& uuid) const { return path_ / isoName(uuid); }
  static std::string isoName(const std::string& uuid) { return uuid + ".iso"; }

  // Opens (creating when missing) the pool directory, which may be reached through a symlink: for placing.
  UniqueFd openOrCreatePool() const;
  // Opens the pool directory; nullopt when it does not exist (nothing was ever placed there).
  std::optional<UniqueFd> openExistingPool() const;
  // Opens (creating when missing, 0700) the state directory, refusing a symlink there.
  UniqueFd openStateDir() const;

 private:
  std::filesystem::path path_;
};

}  // namespace vcd
