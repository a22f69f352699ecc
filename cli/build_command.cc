// `virt-configdrive build [--domain-xml FILE] [data options] -o OUT.iso`: an offline build, no libvirt needed.
#include <fcntl.h>
#include <unistd.h>

#include "cli/command_reference.h"
#include "cli/commands.h"
#include "cli/data_options.h"
#include "domain/drive_content_builder.h"
#include "host/domain_drive.h"
#include "host/host_secret.h"
#include "iso/iso_writer.h"
#include "util/aead.h"
#include "util/error.h"
#include "util/file_io.h"

namespace vcd {

namespace {

// Writes OUT.iso through a temporary beside it, so a failure never leaves a half-written file. The temporary is a
// new file of a fresh name (mkostemp: O_EXCL, 0600): never one another user planted, which would keep their
// ownership and mode and so the drive's password.
void writeOutput(const std::filesystem::path& out, const std::string& bytes) {
  std::string name = out.string() + ".XXXXXX";
  UniqueFd fd(::mkostemp(name.data(), O_CLOEXEC));
  if (!fd.valid()) throwErrno(out.string() + ": cannot create a file beside it");
  const std::filesystem::path temporary = name;
  try {
    writeAll(fd.get(), bytes, temporary.string());
    if (::fsync(fd.get()) != 0) throwErrno(temporary.string() + ": cannot fsync");
    if (::rename(temporary.c_str(), out.c_str()) != 0) throwErrno(out.string() + ": cannot write");
  } catch (const Error&) {
    ::unlink(temporary.c_str());
    throw;
  }
}

// The domain the drive is for: from --domain-xml, else named by the data options alone.
DomainDefinition domainFor(const std::string& xmlFile, const MetadataEdit& edit) {
  if (!xmlFile.empty()) {
    try {
      return parseDomainXml(readFile(xmlFile, 16u << 20));
    } catch (const Error& error) {
      throw Error(xmlFile + ": " + error.what());
    }
  }
  if (!edit.instanceId) throw UsageError("build needs --domain-xml FILE or --instance-id ID");
  DomainDefinition domain;
  domain.uuid = *edit.instanceId;
  domain.name = edit.hostname.value_or(*edit.instanceId);
  return domain;
}

}  // namespace

int runBuild(const ParsedArguments& parsed, const CommandContext& context) {
  if (!parsed.operands.empty()) throw UsageError("build takes no operand: " + parsed.operands.front());
  std::string output = parsed.value("--output");
  if (output.empty()) throw UsageError("build needs -o OUT.iso");
  DataOptions options = readDataOptions(parsed, context.in);
  DomainDefinition domain = domainFor(parsed.value("--domain-xml"), options.edit);

  std::string iso;
  try {
    domain.configDrive = applyEdit(domain.configDrive.value_or(ConfigDriveMetadata{}), options.edit);
    DriveContent content = driveContentFor(domain, *domain.configDrive, loadHostConfig(context.paths.configFile).drive);
    if (options.password) {
      content.password = options.password;
      content.passwordSalt = randomBytes(kPasswordSaltBytes);  // as enable and update seal one with it
    } else if (domain.configDrive->sealedPassword) {
      std::vector<std::string> warnings;
      giveSealedPassword(content, domain, context.paths, warnings);
      for (const std::string& warning : warnings) {
        reportWarning(context.err, "", warning);
      }
    }
    iso = writeDriveIso(content);
    for (const std::string& warning : driveWarnings(domain, *domain.configDrive, content)) {
      reportWarning(context.err, domain.name, warning);
    }
  } catch (const Error& error) {
    throw Error(domain.name + ": " + error.what());
  }
  writeOutput(output, iso);
  return 0;
}

}  // namespace vcd
