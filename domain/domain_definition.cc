// A libvirt domain XML → what virt-configdrive needs of it: identity, config drive metadata, CD-ROM slots, NICs.
#include "domain/domain_definition.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "domain/xml_names.h"
#include "util/error.h"

namespace vcd {

namespace {

constexpr std::string_view kLibosinfoNamespace = "http://libosinfo.org/xmlns/libvirt/domain/1.0";

pugi::xml_document loadXml(std::string_view xml) {
  pugi::xml_document doc;
  pugi::xml_parse_result parsed = doc.load_buffer(xml.data(), xml.size(), pugi::parse_default);
  if (!parsed) {
    throw Error("domain XML is malformed at byte " + std::to_string(parsed.offset) + ": " + parsed.description());
  }
  return doc;
}

// The domain's <uuid> in lower case, into `uuid`: written in place rather than returned, because GCC 12 at -O3 takes
// the move of a returned string into a member for a memcpy past its end (-Warray-bounds, a false positive).
void readCanonicalUuid(const pugi::xml_node& domain, std::string& uuid) {
  uuid = domain.child("uuid").text().get();
  std::transform(uuid.begin(), uuid.end(), uuid.begin(), [](unsigned char c) { return std::tolower(c); });
  if (!isUuid(uuid)) throw Error("domain XML: <uuid> '" + uuid + "' is not a UUID");
}

std::optional<ConfigDriveMetadata> findConfigDrive(const pugi::xml_node& metadata) {
  std::optional<ConfigDriveMetadata> found;
  for (const pugi::xml_node& child : metadata.children()) {
    if (!isElement(child, kConfigDriveNamespace, "configdrive")) continue;
    if (found) throw Error("domain XML: <metadata> holds more than one cd:configdrive");
    found = parseConfigDriveMetadata(child);
  }
  return found;
}

std::string findOsinfoId(const pugi::xml_node& metadata) {
  for (const pugi::xml_node& child : metadata.children()) {
    if (!isElement(child, kLibosinfoNamespace, "libosinfo")) continue;
    for (const pugi::xml_node& os : child.children()) {
      if (isElement(os, kLibosinfoNamespace, "os")) return os.attribute("id").value();
    }
  }
  return std::string();
}

void readDevices(const pugi::xml_node& devices, DomainDefinition& domain) {
  for (const pugi::xml_node& disk : devices.children("disk")) {
    if (std::string_view(disk.attribute("device").value()) != "cdrom") continue;
    pugi::xml_node target = disk.child("target");
    domain.cdroms.push_back({target.attribute("dev").value(), target.attribute("bus").value(),
                             disk.child("source").attribute("file").value()});
  }
  for (const pugi::xml_node& nic : devices.children("interface")) {
    std::string mac = nic.child("mac").attribute("address").value();
    if (!mac.empty()) domain.interfaceMacs.push_back(mac);
  }
  for (const pugi::xml_node& channel : devices.children("channel")) {
    pugi::xml_node target = channel.child("target");
    if (std::string_view(target.attribute("type").value()) == "virtio" &&
        target.attribute("name").value() == kGuestAgentChannel) {
      domain.guestAgentChannel = true;
    }
  }
}

pugi::xml_node domainRoot(const pugi::xml_document& doc) {
  pugi::xml_node root = doc.child("domain");
  if (!root) throw Error("domain XML: the root element is not <domain>");
  return root;
}

DomainDefinition definitionOf(const pugi::xml_node& root, std::optional<ConfigDriveMetadata> configDrive) {
  DomainDefinition domain;
  domain.name = root.child("name").text().get();
  if (domain.name.empty()) throw Error("domain XML: <name> is missing");
  readCanonicalUuid(root, domain.uuid);
  domain.arch = root.child("os").child("type").attribute("arch").value();
  domain.machine = root.child("os").child("type").attribute("machine").value();
  domain.configDrive = std::move(configDrive);
  domain.osinfoId = findOsinfoId(root.child("metadata"));
  readDevices(root.child("devices"), domain);
  return domain;
}

}  // namespace

bool isUuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

DomainDefinition parseDomainXml(std::string_view xml) {
  pugi::xml_document doc = loadXml(xml);
  pugi::xml_node root = domainRoot(doc);
  return definitionOf(root, findConfigDrive(root.child("metadata")));
}

bool mentionsConfigDriveNamespace(std::string_view xml) {
  return xml.find(kConfigDriveNamespace) != std::string_view::npos;
}

std::optional<DomainDefinition> parseConfigDriveDomain(std::string_view xml) {
  // Without the namespace URI the rest of the definition is none of this tool's business (a domain without a
  // config drive is never failed).
  if (!mentionsConfigDriveNamespace(xml)) return std::nullopt;
  pugi::xml_document doc = loadXml(xml);
  pugi::xml_node root = domainRoot(doc);
  std::optional<ConfigDriveMetadata> configDrive = findConfigDrive(root.child("metadata"));
  if (!configDrive) return std::nullopt;
  return definitionOf(root, std::move(configDrive));
}

bool namesConfigDriveFile(const DomainDefinition& domain, const CdromSlot& slot) {
  return !slot.sourceFile.empty() && std::filesystem::path(slot.sourceFile).filename() == domain.uuid + ".iso";
}

std::optional<CdromSlot> configDriveCdrom(const DomainDefinition& domain) {
  for (const CdromSlot& slot : domain.cdroms) {
    if (namesConfigDriveFile(domain, slot)) return slot;
  }
  return std::nullopt;
}

std::vector<CdromSlot> configDriveTwins(const DomainDefinition& domain) {
  std::vector<CdromSlot> twins;
  for (const CdromSlot& slot : domain.cdroms) {
    if (namesConfigDriveFile(domain, slot)) twins.push_back(slot);
  }
  if (!twins.empty()) twins.erase(twins.begin());  // configDriveCdrom's own
  return twins;
}

bool fillEmptiedConfigDriveCdrom(DomainDefinition& live, const DomainDefinition& persistent) {
  std::optional<CdromSlot> named = configDriveCdrom(persistent);
  if (!named || configDriveCdrom(live)) return false;
  for (CdromSlot& slot : live.cdroms) {
    if (slot.target == named->target && slot.sourceFile.empty()) {
      slot.sourceFile = named->sourceFile;
      return true;
    }
  }
  return false;
}

}  // namespace vcd
