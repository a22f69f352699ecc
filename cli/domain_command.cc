// What the commands that act on a libvirt domain share.
#include "cli/domain_command.h"

#include "domain/drive_content_builder.h"
#include "host/host_secret.h"
#include "iso/drive_inspection.h"
#include "iso/iso_reader.h"
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
  } catch (const std::exception& error) {  // a library's, or the standard library's: named all the same
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

void refuseDriveWithoutNetwork(const DomainDefinition& domain, const ConfigDriveMetadata& metadata) {
  if (std::optional<std::string> noNetwork = networkDataWithoutNetwork(domain, metadata)) throw Error(*noNetwork);
}

void warnOfOtherCloudInitDrives(const DomainDefinition& domain, std::ostream& err) {
  for (const CdromSlot& slot : domain.cdroms) {
    // The drive's own CD-ROM, and its twins, which driveWarnings names.
    if (slot.sourceFile.empty() || namesConfigDriveFile(domain, slot)) continue;
    std::optional<std::string> label = readIsoLabel(slot.sourceFile);
    std::optional<std::string> source = label ? cloudInitSourceOfLabel(*label) : std::nullopt;
    if (!source) continue;
    std::string holds = "CD-ROM " + slot.target + " holds " + slot.sourceFile + ", ";
    reportWarning(err, domain.name,
                  *source == "ConfigDrive" ? holds + "another config drive (label " + *label +
                                                 "): cloud-init reads one of the two, chosen by their device names"
                                           : holds + "a NoCloud drive (label " + *label +
                                                 "): cloud-init reads one of the two, chosen by its datasource_list");
  }
}

void checkDrive(const DomainDefinition& domain, const ConfigDriveMetadata& metadata, const HostConfig& config,
                std::ostream& err) {
  refuseDriveWithoutNetwork(domain, metadata);
  DriveContent content = driveContentFor(domain, metadata, config.drive);
  writeDriveIso(content);
  for (const std::string& warning : driveWarnings(domain, metadata, content)) {
    reportWarning(err, domain.name, warning);
  }
  warnOfOtherCloudInitDrives(domain, err);
}

}  // namespace vcd
