// A domain's config drive as this host builds it: the checks, the host defaults, the password, the ISO bytes.
// Shared by the hook (at start) and the CLI (update of a running domain).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/domain_definition.h"
#include "host/host_config.h"
#include "host/pool_directory.h"

namespace vcd {

struct DomainDrive {
  PoolDirectory pool;
  CdromSlot cdrom;
  std::string iso;
  std::vector<std::string> warnings;  // said on stderr and in syslog; never a reason to fail
};

// Builds the drive of a domain that has cd:configdrive; nullopt when it has no config-drive CD-ROM. Throws Error
// when that CD-ROM is not at this host's <pool path>/<uuid>.iso (the only place ever written) or when the
// content breaks a limit. A sealed password this host cannot open is left off, with a warning.
std::optional<DomainDrive> buildDomainDrive(const DomainDefinition& domain, const HostConfig& config,
                                            const HostPaths& paths);

// The domain's sealed password opened with this host's secret, given to the drive's content with the salt sealed
// with it; left off, with the reason added to warnings, when it cannot be opened. A domain without one gets none.
void giveSealedPassword(DriveContent& content, const DomainDefinition& domain, const HostPaths& paths,
                        std::vector<std::string>& warnings);

}  // namespace vcd
