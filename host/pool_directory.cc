// The pool directory of this host, where ISOs live, and its state directory beside it (staging and locks).
#include "host/pool_directory.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>

#include "util/error.h"
#include "util/file_io.h"

namespace vcd {

namespace {

std::filesystem::path withoutTrailingSlash(const std::filesystem::path& path) {
  std::filesystem::path normal = path.lexically_normal();
  return normal.has_filename() ? normal : normal.parent_path();
}

void makeDirectory(const std::filesystem::path& path, mode_t mode) {
  if (::mkdir(path.c_str(), mode) != 0 && errno != EEXIST) throwErrno(path.string() + ": cannot create");
}

}  // namespace

PoolDirectory::PoolDirectory(const std::filesystem::path& poolPath, std::filesystem::path stateDir)
    : path_(withoutTrailingSlash(poolPath)), stateDir_(std::move(stateDir)) {
  if (!path_.is_absolute() || path_ == path_.root_path()) {
    throw Error(poolPath.string() + ": a pool path must be an absolute directory below /");
  }
}

UniqueFd PoolDirectory::openOrCreatePool() const {
  std::error_code ignored;
  if (!std::filesystem::exists(path_, ignored)) {
    std::filesystem::create_directories(path_.parent_path(), ignored);
    makeDirectory(path_, 0755);
  }
  UniqueFd fd = openFile(path_, O_RDONLY | O_DIRECTORY);
  requirePrivateDirectory(fd.get(), path_.string());
  return fd;
}

std::optional<UniqueFd> PoolDirectory::openExistingPool() const {
  UniqueFd fd(::open(path_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) {
    if (errno == ENOENT) return std::nullopt;
    throwErrno(path_.string() + ": cannot open");
  }
  // Whoever else could write there could put their own file where qemu reads the drive, or take ours away.
  requirePrivateDirectory(fd.get(), path_.string());
  return fd;
}

UniqueFd PoolDirectory::openStagingDir() const { return openPrivateDirectory(stagingDir()); }

UniqueFd PoolDirectory::openStateDir() const {
  std::error_code ignored;
  std::filesystem::create_directories(stateDir_.parent_path(), ignored);
  return openPrivateDirectory(stateDir_);
}

}  // namespace vcd
