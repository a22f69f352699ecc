// Building and placing a domain's config drive on this host: `prepare begin` (and later migrate/restore).
#pragma once

#include "domain/domain_definition.h"
#include "hook/hook.h"
#include "host/iso_placement.h"

namespace vcd {

// Builds the drive of a domain that has cd:configdrive and places it at the path its config-drive CD-ROM names,
// which must be this host's <pool path>/<uuid>.iso. Throws Error saying what failed and why.
void prepareDrive(const DomainDefinition& domain, Replace replace, const HookContext& context);

}  // namespace vcd
