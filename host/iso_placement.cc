// Placing a built ISO into the pool: staging, fsync, rename(2), and removing it again when it is still ours.
#include "host/iso_placement.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <optional>
#include <sstream>

#include "util/error.h"
#include "util/file_io.h"

namespace vcd {

namespace {

// A file written beside its destination and renamed into place; removed unless the rename happened.
class StagingFile {
 public:
  StagingFile(int dirFd, std::string name, std::string path)
      : dirFd_(dirFd), name_(std::move(name)), path_(std::move(path)) {}
  StagingFile(const StagingFile&) = delete;
  StagingFile& operator=(const StagingFile&) = delete;
  ~StagingFile() {
    if (!renamed_) ::unlinkat(dirFd_, name_.c_str(), 0);
  }

  // Writes and fsyncs; returns the new file's identity.
  struct stat write(const std::string& bytes) {
    // 0600: the drive may carry a password; libvirt gives qemu access when it starts the domain. A crashed run's
    // debris of the same name goes first.
    UniqueFd fd = createFreshFileAt(dirFd_, name_, 0600, path_);
    writeAll(fd.get(), bytes, path_);
    if (::fsync(fd.get()) != 0) throwErrno(path_ + ": cannot fsync");
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) throwErrno(path_ + ": cannot stat");
    return st;
  }

  // False when the target is on another mount (EXDEV); throws on any other failure.
  bool renameTo(int poolFd, const std::string& target, const std::string& targetPath) {
    if (::renameat(dirFd_, name_.c_str(), poolFd, target.c_str()) != 0) {
      if (errno == EXDEV) return false;
      throwErrno(path_ + ": cannot rename to " + targetPath);
    }
    renamed_ = true;
    return true;
  }

 private:
  int dirFd_;
  std::string name_;
  std::string path_;
  bool renamed_ = false;
};

struct FileIdentity {
  dev_t device = 0;
  ino_t inode = 0;
  bool operator==(const FileIdentity&) const = default;
};

// The pool's target, lstat'ed: nullopt when absent; Error when it is a symlink or not a regular file.
std::optional<struct stat> statTarget(int poolFd, const std::string& name, const std::string& path) {
  struct stat st {};
  if (::fstatat(poolFd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) return std::nullopt;
    throwErrno(path + ": cannot stat");
  }
  if (S_ISLNK(st.st_mode)) throw Error(path + ": is a symlink; refusing to replace it");
  if (!S_ISREG(st.st_mode)) throw Error(path + ": is not a regular file; refusing to replace it");
  return st;
}

// True when the target, as statTarget found it, holds exactly these bytes.
bool holdsSameBytes(int poolFd, const std::string& name, const std::string& path, const std::optional<struct stat>& st,
                    const std::string& iso) {
  if (!st || static_cast<std::size_t>(st->st_size) != iso.size()) return false;
  UniqueFd fd(::openat(poolFd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
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

// <state dir>/<uuid>.placed: "DEVICE INODE" of the file this host last placed for the domain. The state dir is
// this host's own, so a record is never another host's.
class PlacementRecord {
 public:
  PlacementRecord(const PoolDirectory& pool, const std::string& uuid)
      : dir_(pool.openStateDir()), name_(uuid + ".placed"), path_((pool.stateDir() / name_).string()) {}
  PlacementRecord(const PlacementRecord&) = delete;
  PlacementRecord& operator=(const PlacementRecord&) = delete;
  // A record prepared but not committed (the placement failed) goes with it.
  ~PlacementRecord() {
    if (pending_) ::unlinkat(dir_.get(), (name_ + ".new").c_str(), 0);
  }

  // Writes the record beside its place, to be put there by commit(): written before the ISO is replaced, so a
  // failure leaves the old ISO. A fresh file: never written through a planted link (one is refused).
  void prepare(const FileIdentity& identity) {
    requireOwnSoleFileIfPresent(dir_.get(), name_ + ".new", path_ + ".new");
    UniqueFd fd = createFreshFileAt(dir_.get(), name_ + ".new", 0600, path_ + ".new");
    pending_ = true;
    writeAll(fd.get(), std::to_string(identity.device) + " " + std::to_string(identity.inode) + "\n", path_ + ".new");
  }

  // The old record goes first: ext4 flushes a file renamed over another (auto_da_alloc), which would cost the
  // hook a disk write. A crash in between leaves no record, and release then leaves the ISO alone.
  void commit() {
    remove();
    if (::renameat(dir_.get(), (name_ + ".new").c_str(), dir_.get(), name_.c_str()) != 0) {
      throwErrno(path_ + ": cannot write");
    }
    pending_ = false;
  }

  void write(const FileIdentity& identity) {
    prepare(identity);
    commit();
  }

  std::optional<FileIdentity> read() const {
    UniqueFd fd(::openat(dir_.get(), name_.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    if (!fd.valid()) {
      if (errno == ENOENT) return std::nullopt;
      throwErrno(path_ + ": cannot open");
    }
    requireOwnSoleFile(fd.get(), path_);  // a record decides which file release removes
    char text[128] = {};
    ssize_t n = ::read(fd.get(), text, sizeof text - 1);
    if (n < 0) throwErrno(path_ + ": cannot read");
    std::istringstream in(std::string(text, static_cast<std::size_t>(n)));
    unsigned long long device = 0, inode = 0;
    if (!(in >> device >> inode)) return std::nullopt;
    return FileIdentity{static_cast<dev_t>(device), static_cast<ino_t>(inode)};
  }

  void remove() const {
    if (::unlinkat(dir_.get(), name_.c_str(), 0) != 0 && errno != ENOENT) throwErrno(path_ + ": cannot remove");
  }

 private:
  UniqueFd dir_;
  std::string name_;
  std::string path_;
  bool pending_ = false;
};

// Writes the ISO into a staging file in dirFd, records it, and renames it into the pool; nullopt when the pool is
// another mount (rename(2) cannot cross).
std::optional<FileIdentity> stageAndRename(int dirFd, const std::string& stagingName, const std::string& stagingPath,
                                           int poolFd, const std::string& name, const std::string& target,
                                           const std::string& iso, PlacementRecord& record) {
  StagingFile staging(dirFd, stagingName, stagingPath);
  struct stat st = staging.write(iso);
  FileIdentity identity{st.st_dev, st.st_ino};
  record.prepare(identity);
  if (!staging.renameTo(poolFd, name, target)) return std::nullopt;
  record.commit();
  return identity;
}

}  // namespace

bool holdsIso(const PoolDirectory& pool, const std::string& uuid, const std::string& iso) {
  std::optional<UniqueFd> poolFd = pool.openExistingPool();
  if (!poolFd) return false;
  const std::string name = PoolDirectory::isoName(uuid);
  const std::string path = pool.isoPath(uuid).string();
  return holdsSameBytes(poolFd->get(), name, path, statTarget(poolFd->get(), name, path), iso);
}

bool removeIso(const PoolDirectory& pool, const std::string& uuid) {
  PlacementRecord(pool, uuid).remove();
  std::optional<UniqueFd> poolFd = pool.openExistingPool();
  const std::string name = PoolDirectory::isoName(uuid);
  const std::string path = pool.isoPath(uuid).string();
  if (!poolFd || !statTarget(poolFd->get(), name, path)) return false;
  if (::unlinkat(poolFd->get(), name.c_str(), 0) != 0) throwErrno(path + ": cannot remove");
  return true;
}

Release removeIsoIfPlacedHere(const PoolDirectory& pool, const std::string& uuid) {
  PlacementRecord record(pool, uuid);
  std::optional<FileIdentity> placed = record.read();
  if (!placed) return Release::NothingPlaced;
  record.remove();
  std::optional<UniqueFd> poolFd = pool.openExistingPool();
  const std::string name = PoolDirectory::isoName(uuid);
  std::optional<struct stat> st;
  if (poolFd) st = statTarget(poolFd->get(), name, pool.isoPath(uuid).string());
  if (!st) return Release::NothingPlaced;
  if (!(FileIdentity{st->st_dev, st->st_ino} == *placed)) return Release::KeptNotOurs;
  if (::unlinkat(poolFd->get(), name.c_str(), 0) != 0) throwErrno(pool.isoPath(uuid).string() + ": cannot remove");
  return Release::Removed;
}

Placement placeIso(const PoolDirectory& pool, const std::string& uuid, const std::string& iso, Replace replace) {
  UniqueFd poolFd = pool.openOrCreatePool();
  UniqueFd stagingFd = pool.openStagingDir();
  const std::string name = PoolDirectory::isoName(uuid);
  const std::string target = pool.isoPath(uuid).string();
  PlacementRecord record(pool, uuid);

  // Refuses a symlink or a directory at the target before anything is written.
  std::optional<struct stat> existing = statTarget(poolFd.get(), name, target);
  if (replace == Replace::KeepIdentical && holdsSameBytes(poolFd.get(), name, target, existing, iso)) {
    // A restart with the same data, the common case: the record usually names this file already (rewriting it
    // would cost a rename, which ext4 turns into a flush).
    FileIdentity identity{existing->st_dev, existing->st_ino};
    if (record.read() != identity) record.write(identity);
    return Placement::LeftIdentical;
  }

  const std::string stagingName = name + ".staging";
  std::optional<FileIdentity> placed =
      stageAndRename(stagingFd.get(), stagingName, (pool.stagingDir() / stagingName).string(), poolFd.get(), name,
                     target, iso, record);
  if (!placed) {
    const std::string hidden = "." + stagingName;
    placed =
        stageAndRename(poolFd.get(), hidden, (pool.path() / hidden).string(), poolFd.get(), name, target, iso, record);
  }
  if (!placed) throw Error(target + ": cannot rename a staging file into the pool");
  if (::fsync(poolFd.get()) != 0) throwErrno(pool.path().string() + ": cannot fsync");
  return Placement::Placed;
}

}  // namespace vcd
