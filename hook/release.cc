// `release end`: after stop, save or outgoing migration, the drive this host placed is removed.
#include "hook/operations.h"
#include "host/domain_lock.h"
#include "host/pool_directory.h"

namespace vcd {

void releaseDrive(const DomainDefinition& domain, const HookContext& context) {
  HostConfig config = loadHostConfig(context.paths.configFile);
  if (!config.deleteOnRelease) return;
  PoolDirectory pool(resolvePoolPath(config, context.paths.storageDir), context.paths.stateDir);
  DomainLock lock = DomainLock::acquire(pool, domain.uuid);
  const std::string iso = pool.isoPath(domain.uuid).string();
  switch (removeIsoIfPlacedHere(pool, domain.uuid)) {
    case Release::Removed:
      context.log.info(domain.name + ": removed config drive " + iso);
      break;
    case Release::KeptNotOurs:
      context.log.info(domain.name + ": left " + iso + ": another host has placed it since (shared pool)");
      break;
    case Release::NothingPlaced:
      break;
  }
}

}  // namespace vcd
