// Placing a built ISO into the pool: staging, fsync, rename(2) — a crash leaves the old ISO or the new one.
#include "host/iso_placement.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "util/error.h"
#include "util/file_io.h"

namespace vcd {

namespace {

// Removes the staging file unless it was renamed into the pool.
class StagingFile {
 public:
  StagingFile(int dirFd, std::string name, std::string path)
      : dirFd_(dirFd), name_(std::move(name)), path_(std::move(path)) {
    // Debris of a run that crashed before its rename.
    if (::unlinkat(dirFd_, name_.c_str(), 0) != 0 && errno != ENOENT) throwErrno(path_ + ": cannot remove");
  }
  StagingFile(const StagingFile&) = delete;
  StagingFile& operator=(const StagingFile&) = delete;
  ~StagingFile() {
    if (!renamed_) ::unlinkat(dirFd_, name_.c_str(), 0);
  }

  void write(const std::string& bytes) {
    // 0600: the drive may carry a password; libvirt gives qemu access when it starts the domain.
    UniqueFd fd(::openat(dirFd_, name_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!fd.valid()) throwErrno(path_ + ": cannot create");
    writeAll(fd.get(), bytes, path_);
    if (::fsync(fd.get()) != 0) throwErrno(path_ + ": cannot fsync");
  }

  void renameTo(int poolFd, const std::string& target, const std::string& targetPath) {
    if (::renameat(dirFd_, name_.c_str(), poolFd, target.c_str()) != 0) {
      if (errno == EXDEV) {
        throw Error(path_ + ": cannot rename to " + targetPath +
                    ": the pool and its state directory are on different filesystems");
      }
      throwErrno(path_ + ": cannot rename to " + targetPath);
    }
    renamed_ = true;
  }

 private:
  int dirFd_;
  std::string name_;
  std::string path_;
  bool renamed_ = false;
};

// True when a regular file with exactly these bytes is already in place. Refuses what is not a regular file.
bool holdsSameBytes(int poolFd, const std::string& name, const std::string& path, const std::string& iso) {
  struct stat st {};
  if (::fstatat(poolFd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) return false;
    throwErrno(path + ": cannot stat");
  }
  if (S_ISLNK(st.st_mode)) throw Error(path + ": is a symlink; refusing to replace it");
  if (!S_ISREG(st.st_mode)) throw Error(path + ": is not a regular file; refusing to replace it");
  if (static_cast<std::size_t>(st.st_size) != iso.size()) return false;
  UniqueFd fd(::openat(poolFd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.valid()) throwErrno(path + ": cannot open");
  std::string existing(iso.size(), '\0');
  std::size_t done = 0;
  while (done < existing.size()) {
    ssize_t n = ::read(fd.get(), existing.data() + done, existing.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return existing == iso;
}

}  // namespace

bool holdsIso(const PoolDirectory& pool, const std::string& uuid, const std::string& iso) {
  UniqueFd poolFd = pool.openPool();
  return holdsSameBytes(poolFd.get(), PoolDirectory::isoName(uuid), pool.isoPath(uuid).string(), iso);
}

bool removeIso(const PoolDirectory& pool, const std::string& uuid) {
  UniqueFd poolFd = pool.openPool();
  const std::string name = PoolDirectory::isoName(uuid);
  const std::string path = pool.isoPath(uuid).string();
  struct stat st {};
  if (::fstatat(poolFd.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) return false;
    throwErrno(path + ": cannot stat");
  }
  if (!S_ISREG(st.st_mode)) throw Error(path + ": is not a regular file; refusing to remove it");
  if (::unlinkat(poolFd.get(), name.c_str(), 0) != 0) throwErrno(path + ": cannot remove");
  return true;
}

Placement placeIso(const PoolDirectory& pool, const std::string& uuid, const std::string& iso, Replace replace) {
  UniqueFd poolFd = pool.openPool();
  UniqueFd stateFd = pool.openStateDir();
  const std::string name = PoolDirectory::isoName(uuid);
  const std::string target = pool.isoPath(uuid).string();

  bool identical = holdsSameBytes(poolFd.get(), name, target, iso);
  if (identical && replace == Replace::KeepIdentical) return Placement::LeftIdentical;

  const std::string stagingName = name + ".staging";
  StagingFile staging(stateFd.get(), stagingName, (pool.stateDir() / stagingName).string());
  staging.write(iso);
  staging.renameTo(poolFd.get(), name, target);
  if (::fsync(poolFd.get()) != 0) throwErrno(pool.path().string() + ": cannot fsync");
  return Placement::Placed;
}

}  // namespace vcd
