// The per-domain lock that serialises hooks and the CLI working on the same domain.
#include "host/domain_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <thread>

#include "host/process_name.h"
#include "util/error.h"
#include "util/file_io.h"

namespace vcd {

namespace {

// Who holds the lock, as its holder wrote it: "pid 1234 (virt-configdrive)"; "" when unknown.
std::string holderOf(int fd) {
  char text[96] = {};
  ssize_t n = ::pread(fd, text, sizeof text - 1, 0);
  std::string holder = n > 0 ? std::string(text, static_cast<std::size_t>(n)) : std::string();
  while (!holder.empty() && (holder.back() == '\n' || holder.back() == '\0')) holder.pop_back();
  return holder;
}

void writeHolder(int fd) {
  std::string holder = "pid " + std::to_string(::getpid()) + " (" + processName("/proc", ::getpid()) + ")\n";
  // Written over the last holder, then cut to length: ext4 flushes a file truncated to zero when it is closed.
  // Who holds it is for the error message of a waiter; the lock is the flock, so failures are ignored.
  if (::pwrite(fd, holder.data(), holder.size(), 0) == static_cast<ssize_t>(holder.size())) {
    int ignored = ::ftruncate(fd, static_cast<off_t>(holder.size()));
    (void)ignored;
  }
}

}  // namespace

DomainLock DomainLock::acquire(const PoolDirectory& pool, const std::string& uuid, std::chrono::milliseconds patience) {
  UniqueFd dir = pool.openStateDir();
  std::string name = uuid + ".lock";
  std::string where = (pool.stateDir() / name).string();
  UniqueFd fd(::openat(dir.get(), name.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600));
  if (!fd.valid()) throwErrno(where + ": cannot open the lock");
  requireOwnSoleFile(fd.get(), where);  // the holder line is written into it
  auto deadline = std::chrono::steady_clock::now() + patience;
  while (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) throwErrno(where + ": cannot lock");
    if (std::chrono::steady_clock::now() >= deadline) {
      std::string holder = holderOf(fd.get());
      throw Error(where + ": still held by " + (holder.empty() ? "another virt-configdrive" : holder) + " after " +
                  std::to_string(patience.count() / 1000) + " s");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  writeHolder(fd.get());
  return DomainLock(std::move(fd));
}

}  // namespace vcd
