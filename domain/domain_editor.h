// Edits of a domain's definition for the CLI: adding and removing the config drive, and the CD-ROM device
// XML that ejects or inserts its medium (SPEC §6).
#pragma once

#include <string>
#include <string_view>

#include "domain/domain_definition.h"

namespace vcd {

struct EnabledDefinition {
  std::string xml;         // the domain XML to define
  CdromSlot cdrom;         // the config drive's CD-ROM in it
  bool addedEmptyCdrom{};  // an empty first CD-ROM was added because the domain had none
};

// Puts the metadata (replacing any cd:configdrive) and the config-drive CD-ROM with source isoPath into the
// domain XML. The CD-ROM is the second one: i440fx → ide (hdd unless taken), q35 → sata (next free sdX); an
// empty first CD-ROM is added when there is none; an existing config-drive CD-ROM is kept and repointed. No
// <address>: libvirt assigns it. Throws Error when no slot is free.
EnabledDefinition enableConfigDrive(std::string_view domainXml, const ConfigDriveMetadata& metadata,
                                    const std::string& isoPath);

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
