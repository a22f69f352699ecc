// Edits of a domain's definition for the CLI: adding and removing the config drive, and the CD-ROM device
// XML that ejects or inserts its medium.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/domain_definition.h"

namespace vcd {

struct EnabledDefinition {
  std::string xml;         // the domain XML to define
  CdromSlot cdrom;         // the config drive's CD-ROM in it
  bool addedEmptyCdrom{};  // an empty first CD-ROM was added because the domain had none
};

// The buses a config-drive CD-ROM can be on.
inline const std::vector<std::string> kCdromBuses = {"ide", "sata", "scsi"};

// The bus for the domain's config-drive CD-ROM: ide on i440fx machines (pc, pc-i440fx-*, isapc), sata on q35, scsi
// on a virtio-scsi controller on every other machine (aarch64's virt, and any machine without IDE or SATA).
std::string defaultCdromBus(const DomainDefinition& domain);

// Throws Error naming the machine when it cannot have CD-ROMs on bus: IDE is only on i440fx, SATA on i440fx, q35
// and virt; SCSI (virtio-scsi, a PCI device) on every machine but isapc.
void checkCdromBus(const DomainDefinition& domain, const std::string& bus);

// Puts the metadata (replacing any cd:configdrive) and the config-drive CD-ROM with source isoPath into the
// domain XML. The CD-ROM is the second one, on bus (defaultCdromBus when empty; checkCdromBus): ide → hdd unless
// taken, sata and scsi → the next free sdX, with a virtio-scsi controller added for scsi when the domain has no
// SCSI controller. An empty first CD-ROM is added when there is none. An existing config-drive CD-ROM is kept and
// repointed, or moved when bus names another. No <address>: libvirt assigns it. Throws Error when no slot is free.
EnabledDefinition enableConfigDrive(std::string_view domainXml, const ConfigDriveMetadata& metadata,
                                    const std::string& isoPath, const std::string& bus = "");

// The domain XML with a virtio channel for the QEMU guest agent (kGuestAgentChannel, its socket path left to
// libvirt), after its last <channel>; unchanged when it has one.
std::string withGuestAgentChannel(std::string_view domainXml);

// Removes cd:configdrive and the config-drive CD-ROM from the domain XML.
std::string disableConfigDrive(std::string_view domainXml);

// The domain XML with only the source file of the config-drive CD-ROM changed: what the migrate and restore
// hooks hand back to libvirt when this host's pool path differs. Everything else stays as it was written
// (white space, comments, attribute order and quotes).
std::string withConfigDriveSource(std::string_view domainXml, const std::string& sourceFile);

// The <disk> of a CD-ROM slot for virDomainUpdateDeviceFlags: with sourceFile it inserts that medium, with an
// empty one it ejects.
std::string cdromDeviceXml(const CdromSlot& slot, const std::string& sourceFile);

}  // namespace vcd
