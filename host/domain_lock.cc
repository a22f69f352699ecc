// The per-domain lock that serialises hooks and the CLI working on the same domain.
#include "host/domain_lock.h"

#include <fcntl.h>
#include <sys/file.h>

#include <cerrno>
#include <thread>

#include "util/error.h"

namespace vcd {

DomainLock DomainLock::acquire(const PoolDirectory& pool, const std::string& uuid, std::chrono::milliseconds patience) {
  UniqueFd dir = pool.openStateDir();
  std::string name = uuid + ".lock";
  std::string where = (pool.stateDir() / name).string();
  UniqueFd fd(::openat(dir.get(), name.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!fd.valid()) throwErrno(where + ": cannot open the lock");
  auto deadline = std::chrono::steady_clock::now() + patience;
  while (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) throwErrno(where + ": cannot lock");
    if (std::chrono::steady_clock::now() >= deadline) {
      throw Error(where + ": still held by another virt-configdrive after " + std::to_string(patience.count() / 1000) +
                  " s");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return DomainLock(std::move(fd));
}

}  // namespace vcd
