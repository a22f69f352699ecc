// The hook operations that act (docs/drive-format.md, "When the hook builds it"), one file each: prepare.cc,
// arrival.cc, release.cc.
#pragma once

#include <string>

#include "domain/domain_definition.h"
#include "hook/hook.h"
#include "host/host_config.h"
#include "host/iso_placement.h"

namespace vcd {

// `prepare begin`: builds the drive and places it at the path its config-drive CD-ROM names, which must be this
// host's <pool path>/<uuid>.iso; an identical drive is left alone.
void prepareDrive(const DomainDefinition& domain, const HookContext& context);

// `migrate begin` / `restore begin`: places a fresh drive here before qemu opens it. When this host's pool path
// differs from the incoming XML's, prints that XML with only the CD-ROM's source rewritten; else prints nothing.
void arriveWithDrive(const DomainDefinition& domain, const std::string& domainXml, const HookContext& context);

// `release end`: removes the drive when delete_on_release is set and it is still the very file placed here.
void releaseDrive(const DomainDefinition& domain, const HookContext& context);

// Builds and places the domain's drive on this host, logging what was done (shared by prepare and arrival).
void placeDomainDrive(const DomainDefinition& domain, const HostConfig& config, Replace replace,
                      const HookContext& context);

}  // namespace vcd
