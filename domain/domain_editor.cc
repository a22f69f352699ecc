// Edits of a domain's definition for the CLI: adding and removing the config drive, and the CD-ROM device
// XML that ejects or inserts its medium.
#include "domain/domain_editor.h"

#include <pugixml.hpp>

#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>
#include <vector>

#include "domain/xml_names.h"
#include "util/error.h"

namespace vcd {

namespace {

pugi::xml_document loadDomain(std::string_view xml) {
  pugi::xml_document doc;
  pugi::xml_parse_result parsed = doc.load_buffer(xml.data(), xml.size());
  if (!parsed) throw Error(std::string("domain XML is malformed: ") + parsed.description());
  if (!doc.child("domain")) throw Error("domain XML: the root element is not <domain>");
  return doc;
}

std::string print(const pugi::xml_document& doc) {
  std::ostringstream out;
  doc.save(out, "  ", pugi::format_default | pugi::format_no_declaration);
  return out.str();
}

bool isConfigDriveDisk(const pugi::xml_node& disk, const std::string& isoName) {
  std::string source = disk.child("source").attribute("file").value();
  return std::string_view(disk.attribute("device").value()) == "cdrom" && !source.empty() &&
         std::filesystem::path(source).filename() == isoName;
}

void fillCdrom(pugi::xml_node disk, const CdromSlot& slot, const std::string& sourceFile) {
  disk.append_attribute("type") = "file";
  disk.append_attribute("device") = "cdrom";
  pugi::xml_node driver = disk.append_child("driver");
  driver.append_attribute("name") = "qemu";
  driver.append_attribute("type") = "raw";
  if (!sourceFile.empty()) disk.append_child("source").append_attribute("file") = sourceFile.c_str();
  pugi::xml_node target = disk.append_child("target");
  target.append_attribute("dev") = slot.target.c_str();
  target.append_attribute("bus") = slot.bus.c_str();
  disk.append_child("readonly");
}

// Where new disks go: after the last <disk>, else at the start of <devices> (after <emulator>).
pugi::xml_node insertDisk(pugi::xml_node devices) {
  pugi::xml_node last;
  for (pugi::xml_node disk : devices.children("disk")) last = disk;
  if (last) return devices.insert_child_after("disk", last);
  if (pugi::xml_node emulator = devices.child("emulator")) return devices.insert_child_after("disk", emulator);
  return devices.prepend_child("disk");
}

// A SCSI CD-ROM needs a SCSI controller: a virtio-scsi one (every machine with PCI or virtio-mmio has it, and
// guest kernels carry its driver) when the domain has none; an existing one is reused.
void ensureScsiController(pugi::xml_node devices) {
  pugi::xml_node last;
  for (pugi::xml_node controller : devices.children("controller")) {
    if (std::string_view(controller.attribute("type").value()) == "scsi") return;
    last = controller;
  }
  pugi::xml_node controller =
      last ? devices.insert_child_after("controller", last) : devices.append_child("controller");
  controller.append_attribute("type") = "scsi";
  controller.append_attribute("index") = "0";
  controller.append_attribute("model") = "virtio-scsi";
}

// i440fx: "pc", "pc-i440fx-7.2", the old "pc-1.3"…, "isapc", and Ubuntu's alias "ubuntu"; q35: "q35", "pc-q35-7.2",
// Ubuntu's "ubuntu-q35".
bool isQ35(const std::string& machine) { return machine.find("q35") != std::string::npos; }
bool isI440fx(const std::string& machine) {
  return machine == "isapc" || machine == "pc" || machine == "ubuntu" ||
         (machine.rfind("pc-", 0) == 0 && !isQ35(machine));
}
// The virt machines of aarch64, armv7l and riscv64: "virt", "virt-7.2".
bool isVirt(const std::string& machine) { return machine == "virt" || machine.rfind("virt-", 0) == 0; }

// Guest enumeration order of IDE slots: primary master, primary slave, secondary master, secondary slave.
const std::vector<std::string> kIdeSlots = {"hda", "hdb", "hdc", "hdd"};

class SlotChooser {
 public:
  SlotChooser(const pugi::xml_node& devices, std::string bus) : bus_(std::move(bus)) {
    for (pugi::xml_node disk : devices.children("disk")) {
      std::string dev = disk.child("target").attribute("dev").value();
      taken_.insert(dev);
      if (std::string_view(disk.attribute("device").value()) == "cdrom") lastCdrom_ = std::max(lastCdrom_, dev);
    }
  }

  bool hasCdrom() const { return !lastCdrom_.empty(); }

  // The empty first CD-ROM: hdc keeps hda/hdb for disks; on sata and scsi the next free sdX.
  CdromSlot firstCdrom() { return take(bus_ == "ide" ? preferFree({"hdc", "hda", "hdb"}) : nextSd()); }

  // The config drive: after every other CD-ROM, hdd on ide unless taken.
  CdromSlot configDriveCdrom() {
    if (bus_ != "ide") return take(nextSd());
    std::vector<std::string> after;
    std::copy_if(kIdeSlots.begin(), kIdeSlots.end(), std::back_inserter(after),
                 [&](const std::string& slot) { return slot > lastCdrom_; });
    std::reverse(after.begin(), after.end());  // hdd first
    std::string slot = preferFree(after);
    if (slot.empty()) slot = preferFree(kIdeSlots);
    return take(slot);
  }

 private:
  std::string preferFree(const std::vector<std::string>& candidates) const {
    for (const std::string& slot : candidates) {
      if (!taken_.count(slot)) return slot;
    }
    return std::string();
  }

  // SATA and SCSI disks share libvirt's sdX names.
  std::string nextSd() const {
    std::string highest;
    for (const std::string& dev : taken_) {
      if (dev.size() == 3 && dev.rfind("sd", 0) == 0) highest = std::max(highest, dev);
    }
    char next = highest.empty() ? 'a' : static_cast<char>(highest[2] + 1);
    return next > 'z' ? std::string() : std::string("sd") + next;
  }

  CdromSlot take(const std::string& target) {
    if (target.empty()) throw Error("domain XML: no free " + bus_ + " slot for a CD-ROM");
    taken_.insert(target);
    lastCdrom_ = std::max(lastCdrom_, target);
    return {target, bus_, ""};
  }

  std::string bus_;
  std::set<std::string> taken_;
  std::string lastCdrom_;
};

void replaceMetadata(pugi::xml_node domain, const ConfigDriveMetadata* metadata) {
  pugi::xml_node element = domain.child("metadata");
  if (!element && metadata == nullptr) return;
  if (!element) element = domain.insert_child_after("metadata", domain.child("uuid"));
  std::vector<pugi::xml_node> stale;
  for (pugi::xml_node child : element.children()) {
    if (isElement(child, kConfigDriveNamespace, "configdrive")) stale.push_back(child);
  }
  for (pugi::xml_node child : stale) element.remove_child(child);
  if (metadata != nullptr) appendConfigDriveElement(element, *metadata);
}

}  // namespace

std::string defaultCdromBus(const DomainDefinition& domain) {
  if (isQ35(domain.machine)) return "sata";
  if (isI440fx(domain.machine)) return "ide";
  return "scsi";
}

void checkCdromBus(const DomainDefinition& domain, const std::string& bus) {
  // SATA and virtio-scsi are PCI devices: every machine but isapc, which has IDE alone, has PCI; SATA was only
  // tried on the PC and virt machines.
  const std::string& machine = domain.machine;
  auto possible = [&](const std::string& candidate) {
    if (candidate == "ide") return isI440fx(machine);
    if (candidate == "sata") return machine != "isapc" && (isI440fx(machine) || isQ35(machine) || isVirt(machine));
    return machine != "isapc";
  };
  if (possible(bus)) return;
  std::string allowed;
  for (const std::string& other : kCdromBuses) {
    if (possible(other)) allowed += (allowed.empty() ? "" : " or ") + other;
  }
  std::string named = "'" + machine + "'" + (domain.arch.empty() ? "" : " (" + domain.arch + ")");
  std::string controller = bus == "ide" ? "IDE" : bus == "sata" ? "SATA" : "SCSI";
  throw Error("--bus " + bus + ": the machine " + named + " has no " + controller + " bus; it takes " + allowed);
}

EnabledDefinition enableConfigDrive(std::string_view domainXml, const ConfigDriveMetadata& metadata,
                                    const std::string& isoPath, const std::string& bus) {
  DomainDefinition definition = parseDomainXml(domainXml);
  if (!bus.empty()) checkCdromBus(definition, bus);
  pugi::xml_document doc = loadDomain(domainXml);
  pugi::xml_node domain = doc.child("domain");
  replaceMetadata(domain, &metadata);
  pugi::xml_node devices = domain.child("devices");
  if (!devices) devices = domain.append_child("devices");

  EnabledDefinition enabled;
  const std::string isoName = definition.uuid + ".iso";
  for (pugi::xml_node disk : devices.children("disk")) {
    if (!isConfigDriveDisk(disk, isoName)) continue;
    pugi::xml_node target = disk.child("target");
    if (!bus.empty() && bus != target.attribute("bus").value()) {
      devices.remove_child(disk);  // moved to the bus asked for, below
      break;
    }
    disk.child("source").attribute("file") = isoPath.c_str();
    enabled.cdrom = {target.attribute("dev").value(), target.attribute("bus").value(), isoPath};
    enabled.xml = print(doc);
    return enabled;
  }

  const std::string chosen = bus.empty() ? defaultCdromBus(definition) : bus;
  if (chosen == "scsi") ensureScsiController(devices);
  SlotChooser slots(devices, chosen);
  if (!slots.hasCdrom()) {
    fillCdrom(insertDisk(devices), slots.firstCdrom(), "");
    enabled.addedEmptyCdrom = true;
  }
  enabled.cdrom = slots.configDriveCdrom();
  enabled.cdrom.sourceFile = isoPath;
  fillCdrom(insertDisk(devices), enabled.cdrom, isoPath);
  enabled.xml = print(doc);
  return enabled;
}

std::string withGuestAgentChannel(std::string_view domainXml) {
  if (parseDomainXml(domainXml).guestAgentChannel) return std::string(domainXml);
  pugi::xml_document doc = loadDomain(domainXml);
  pugi::xml_node domain = doc.child("domain");
  pugi::xml_node devices = domain.child("devices");
  if (!devices) devices = domain.append_child("devices");
  pugi::xml_node last;
  for (pugi::xml_node channel : devices.children("channel")) last = channel;
  pugi::xml_node channel = last ? devices.insert_child_after("channel", last) : devices.append_child("channel");
  channel.append_attribute("type") = "unix";
  channel.append_child("source").append_attribute("mode") = "bind";
  pugi::xml_node target = channel.append_child("target");
  target.append_attribute("type") = "virtio";
  target.append_attribute("name") = std::string(kGuestAgentChannel).c_str();
  return print(doc);
}

std::string disableConfigDrive(std::string_view domainXml) {
  DomainDefinition definition = parseDomainXml(domainXml);
  pugi::xml_document doc = loadDomain(domainXml);
  pugi::xml_node domain = doc.child("domain");
  replaceMetadata(domain, nullptr);
  pugi::xml_node devices = domain.child("devices");
  std::vector<pugi::xml_node> drives;
  for (pugi::xml_node disk : devices.children("disk")) {
    if (isConfigDriveDisk(disk, definition.uuid + ".iso")) drives.push_back(disk);
  }
  for (pugi::xml_node disk : drives) devices.remove_child(disk);
  return print(doc);
}

std::string withConfigDriveSource(std::string_view domainXml, const std::string& sourceFile) {
  DomainDefinition definition = parseDomainXml(domainXml);
  pugi::xml_document doc;
  unsigned keepEverything = pugi::parse_default | pugi::parse_ws_pcdata | pugi::parse_comments |
                            pugi::parse_declaration | pugi::parse_doctype | pugi::parse_pi;
  pugi::xml_parse_result parsed = doc.load_buffer(domainXml.data(), domainXml.size(), keepEverything);
  if (!parsed) throw Error(std::string("domain XML is malformed: ") + parsed.description());
  bool found = false;
  for (pugi::xml_node disk : doc.child("domain").child("devices").children("disk")) {
    if (!isConfigDriveDisk(disk, definition.uuid + ".iso")) continue;
    disk.child("source").attribute("file") = sourceFile.c_str();
    found = true;
  }
  if (!found) throw Error("domain XML: no config-drive CD-ROM (" + definition.uuid + ".iso)");
  std::ostringstream out;
  doc.save(out, "", pugi::format_raw | pugi::format_attribute_single_quote | pugi::format_no_declaration);
  return out.str();
}

std::string cdromDeviceXml(const CdromSlot& slot, const std::string& sourceFile) {
  pugi::xml_document doc;
  fillCdrom(doc.append_child("disk"), slot, sourceFile);
  std::ostringstream out;
  doc.first_child().print(out, "", pugi::format_raw);
  return out.str();
}

}  // namespace vcd
