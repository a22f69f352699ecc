// The per-domain lock that serialises hooks and the CLI working on the same domain.
#pragma once

#include <chrono>
#include <string>

#include "host/pool_directory.h"
#include "util/unique_fd.h"

namespace vcd {

class DomainLock {
 public:
  // Waits at most `patience` for <state dir>/<uuid>.lock; throws Error naming the lock file and its holder (the
  // pid and name each holder writes into it) when it cannot.
  static DomainLock acquire(const PoolDirectory& pool, const std::string& uuid,
                            std::chrono::milliseconds patience = std::chrono::seconds(30));

 private:
  explicit DomainLock(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;  // flock(2) is released when the descriptor closes
};

}  // namespace vcd
