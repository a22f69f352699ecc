// What the commands that act on a libvirt domain share: the domain operand, errors prefixed with the domain,
// sealing a password for it, checking the drive it would get, writing its metadata.
#pragma once

#include <functional>
#include <set>
#include <string>

#include "cli/command_reference.h"
#include "cli/commands.h"
#include "cli/data_options.h"
#include "cli/libvirt_session.h"
#include "domain/domain_definition.h"
#include "host/host_config.h"

namespace vcd {

// The single DOMAIN operand; UsageError otherwise.
std::string domainOperand(const ParsedArguments& args, const std::string& command);

// Runs body; an Error it throws comes back as "DOMAIN: <message>".
int forDomain(const std::string& domain, const std::function<int()>& body);

// The edit with the password sealed for the domain, with a new salt even when it is the password the domain has:
// the guest then applies it again.
MetadataEdit sealedEdit(const DataOptions& options, const HostPaths& paths, const DomainDefinition& domain);

// Builds the drive the metadata gives (in memory) so that a limit is broken now, not at the next start, and
// prints on err what cloud-init would ignore in it, and another tool's cloud-init drive in one of the domain's other
// CD-ROMs. Network data that would leave the guest without network is an Error here (the hook only warns of it).
void checkDrive(const DomainDefinition& domain, const ConfigDriveMetadata& metadata, const HostConfig& config,
                std::ostream& err);

// virDomainSetMetadata with the cd:configdrive element; flags: VIR_DOMAIN_AFFECT_LIVE and/or _CONFIG.
void setConfigDriveMetadata(virDomainPtr domain, const ConfigDriveMetadata& metadata, unsigned flags);

}  // namespace vcd
