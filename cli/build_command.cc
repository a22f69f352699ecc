// `virt-configdrive build --domain-xml FILE -o OUT.iso`: an offline build, no libvirt needed.
#include "cli/command_line.h"
#include "cli/commands.h"
#include "domain/drive_content_builder.h"
#include "iso/iso_writer.h"
#include "util/error.h"
#include "util/file_io.h"

#include <fcntl.h>
#include <unistd.h>

namespace vcd {

namespace {

// Writes OUT.iso through a temporary beside it, so a failure never leaves a half-written file.
void writeOutput(const std::filesystem::path& out, const std::string& bytes) {
  std::filesystem::path temporary = out;
  temporary += ".partial";
  try {
    UniqueFd fd = openFile(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0600);
    writeAll(fd.get(), bytes, temporary.string());
    if (::fsync(fd.get()) != 0) throwErrno(temporary.string() + ": cannot fsync");
    if (::rename(temporary.c_str(), out.c_str()) != 0) throwErrno(out.string() + ": cannot write");
  } catch (const Error&) {
    ::unlink(temporary.c_str());
    throw;
  }
}

}  // namespace

int runBuild(const std::vector<std::string>& args, const CommandContext& context) {
  ParsedArguments parsed = parseArguments(args, {"--domain-xml", "--output"}, {});
  if (!parsed.operands.empty()) throw UsageError("build takes no operand: " + parsed.operands.front());
  std::string xmlFile = parsed.value("--domain-xml");
  std::string output = parsed.value("--output");
  if (xmlFile.empty()) throw UsageError("build needs --domain-xml FILE");
  if (output.empty()) throw UsageError("build needs -o OUT.iso");

  DomainDefinition domain;
  try {
    domain = parseDomainXml(readFile(xmlFile, 16u << 20));
  } catch (const Error& error) {
    throw Error(xmlFile + ": " + error.what());
  }
  HostConfig config = loadHostConfig(context.paths.configFile);
  ConfigDriveMetadata metadata = domain.configDrive.value_or(ConfigDriveMetadata{});
  std::string iso;
  try {
    iso = writeDriveIso(driveContentFor(domain, metadata, config.drive));
  } catch (const Error& error) {
    throw Error(domain.name + ": " + error.what());
  }
  writeOutput(output, iso);
  return 0;
}

}  // namespace vcd
