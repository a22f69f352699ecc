// What the commands that act on a libvirt domain share.
#include "cli/domain_command.h"

#include "domain/drive_content_builder.h"
#include "host/host_secret.h"
#include "iso/iso_writer.h"
#include "util/error.h"

namespace vcd {

std::string domainOperand(const ParsedArguments& args, const std::string& command) {
  if (args.operands.size() != 1) throw UsageError(command + " takes exactly one DOMAIN");
  return args.operands.front();
}

int forDomain(const std::string& domain, const std::function<int()>& body) {
  try {
    return body();
  } catch (const Error& error) {
    throw Error(domain + ": " + error.what());
  }
}

MetadataEdit sealedEdit(const DataOptions& options, const HostPaths& paths, const DomainDefinition& domain) {
  MetadataEdit edit = options.edit;
  if (!options.password) return edit;
  // Sealed anew with a new salt even when it is the password the domain has: the guest then gets another hash and
  // applies it again, undoing a change made inside the guest.
  edit.sealedPassword = HostSecret::loadOrCreate(paths.secretFile).sealPassword(domain.uuid, *options.password);
  return edit;
}

void checkDrive(const DomainDefinition& domain, const ConfigDriveMetadata& metadata, const HostConfig& config,
                std::ostream& err) {
  if (std::optional<std::string> noNetwork = networkDataWithoutNetwork(domain, metadata)) throw Error(*noNetwork);
  DriveContent content = driveContentFor(domain, metadata, config.drive);
  writeDriveIso(content);
  for (const std::string& warning : driveWarnings(domain, metadata, content)) {
    reportWarning(err, domain.name, warning);
  }
}

void setConfigDriveMetadata(virDomainPtr domain, const ConfigDriveMetadata& metadata, unsigned flags) {
  std::string element = configDriveElementForLibvirt(metadata);
  if (virDomainSetMetadata(domain, VIR_DOMAIN_METADATA_ELEMENT, element.c_str(), "cd", kConfigDriveNamespace, flags) <
      0) {
    throwLibvirtError("writing the cd:configdrive metadata");
  }
}

}  // namespace vcd
