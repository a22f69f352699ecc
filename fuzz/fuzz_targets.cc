// What the fuzzers drive: hostile bytes through the hook's and inspect's own code paths.
#include "fuzz/fuzz_targets.h"

#include <cstdint>
#include <cstdlib>

#include "domain/drive_content_builder.h"
#include "host/host_config.h"
#include "iso/drive_inspection.h"
#include "iso/iso_reader.h"
#include "iso/iso_writer.h"
#include "util/error.h"
#include "util/json_text.h"

namespace vcd::fuzz {

namespace {

std::string text(const std::uint8_t* data, std::size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

// A broken invariant: the fuzzer reports the input that led here.
[[noreturn]] void broken(const char*) { std::abort(); }

}  // namespace

void domainDrive(const std::uint8_t* data, std::size_t size) {
  try {
    std::optional<DomainDefinition> domain = parseConfigDriveDomain(text(data, size));
    if (!domain) return;
    // Metadata the hook accepts is metadata enable and update can write back, and reads back the same.
    if (revalidate(*domain->configDrive) != *domain->configDrive) broken("metadata does not round-trip");
    DriveDefaults defaults;
    defaults.networkData = size % 2 == 0 ? NetworkDataMode::None : NetworkDataMode::Dhcp;
    DriveContent content = driveContentFor(*domain, *domain->configDrive, defaults);
    driveWarnings(*domain, *domain->configDrive, content);
    std::string iso = writeDriveIso(content);
    // What this tool writes, it reads back, with the files it wrote.
    IsoContents back = readIsoImage(iso, "built drive");
    if (back.label != content.label || !back.files.count("/openstack/latest/meta_data.json")) {
      broken("a built drive does not read back");
    }
    inspectDrive(back);
  } catch (const Error&) {
  }
}

void hostConfig(const std::uint8_t* data, std::size_t size) {
  try {
    HostConfig config = parseHostConfig(text(data, size), "config.json");
    if (config.pool.empty() || !config.poolPath.is_absolute()) broken("an accepted config without a pool");
  } catch (const Error&) {
  }
}

void inspect(const std::uint8_t* data, std::size_t size) {
  try {
    IsoContents contents = readIsoImage(text(data, size), "image");
    DriveReport report = inspectDrive(contents);
    nlohmann::json files = nlohmann::json::object();
    for (const auto& [path, entry] : contents.files) files[path] = entry.data.size();
    dumpJsonForDisplay({{"label", contents.label},
                        {"files", files},
                        {"network", report.network},
                        {"problems", report.problems},
                        {"warnings", report.warnings}});
  } catch (const Error&) {
  }
}

Target targetNamed(const std::string& name) {
  if (name == "domain_drive") return domainDrive;
  if (name == "host_config") return hostConfig;
  if (name == "inspect") return inspect;
  return nullptr;
}

}  // namespace vcd::fuzz
