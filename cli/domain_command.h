// What the commands that act on a libvirt domain share: the domain operand, errors prefixed with the domain,
// sealing a password for it, checking the drive it would get.
#pragma once

#include <functional>
#include <set>
#include <string>

#include "cli/command_reference.h"
#include "cli/commands.h"
#include "cli/data_options.h"
#include "domain/domain_definition.h"
#include "host/host_config.h"
#include "virt/libvirt_session.h"

namespace vcd {

// The single DOMAIN operand; UsageError otherwise.
std::string domainOperand(const ParsedArguments& args, const std::string& command);

// Runs body; any exception it throws comes back as Error("DOMAIN: <message>").
int forDomain(const std::string& domain, const std::function<int()>& body);

// The edit with the password sealed for the domain, with a new salt even when it is the password the domain has:
// the guest then applies it again.
MetadataEdit sealedEdit(const DataOptions& options, const HostPaths& paths, const DomainDefinition& domain);

// Network data that would leave the guest without network is an Error for the commands (the hook only warns of it).
void refuseDriveWithoutNetwork(const DomainDefinition& domain, const ConfigDriveMetadata& metadata);

// Prints on err, a line each, another tool's cloud-init drive in one of the domain's other CD-ROMs: the guest then
// has two, and reads only one. The hook does not look (it reads no file the domain names but its own drive).
void warnOfOtherCloudInitDrives(const DomainDefinition& domain, std::ostream& err);

// For a drive that comes at the domain's next start: refuseDriveWithoutNetwork; the drive built (in memory) so that a
// limit is broken now, not at the next start, and what cloud-init would ignore in it printed on err; and
// warnOfOtherCloudInitDrives. A running domain's update builds the drive it places instead, and checks that.
void checkDrive(const DomainDefinition& domain, const ConfigDriveMetadata& metadata, const HostConfig& config,
                std::ostream& err);

}  // namespace vcd
