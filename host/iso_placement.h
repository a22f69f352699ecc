// Placing a built ISO into the pool: staging, fsync, rename(2) — a crash leaves the old ISO or the new one — and
// removing it again, only when it is still the very file this host placed.
#pragma once

#include <string>

#include "host/pool_directory.h"

namespace vcd {

enum class Replace { KeepIdentical, Always };
enum class Placement { Placed, LeftIdentical };

// Places `iso` at <pool>/<uuid>.iso. The caller holds the domain's DomainLock. With KeepIdentical an existing
// file with the same bytes is left alone. Refuses a symlink or non-regular file at the target. Throws Error
// naming the file; on failure the previous ISO is untouched and no staging file remains. Either way the file
// now in place is recorded (device and inode, in the state dir) as this host's.
//
// Staging is <staging dir>/<uuid>.iso.staging; when the pool is another mount (a shared pool), rename(2) cannot
// cross, and <pool>/.<uuid>.iso.staging is used instead. The record is written before the rename, so a failure to
// write it leaves the old ISO in place.
Placement placeIso(const PoolDirectory& pool, const std::string& uuid, const std::string& iso, Replace replace);

// True when <pool>/<uuid>.iso is a regular file holding exactly these bytes.
bool holdsIso(const PoolDirectory& pool, const std::string& uuid, const std::string& iso);

// Removes <pool>/<uuid>.iso when it is a regular file; false when there was none. The caller holds the lock.
bool removeIso(const PoolDirectory& pool, const std::string& uuid);

enum class Release { Removed, KeptNotOurs, NothingPlaced };

// Removes <pool>/<uuid>.iso only when it is the very file this host placed (same device and inode): on a shared
// pool a migration's destination has replaced it, and the file is then the destination's.
Release removeIsoIfPlacedHere(const PoolDirectory& pool, const std::string& uuid);

}  // namespace vcd
