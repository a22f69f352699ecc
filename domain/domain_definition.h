// A libvirt domain XML → what virt-configdrive needs of it: identity, config drive metadata, CD-ROM slots, NICs.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/configdrive_metadata.h"

namespace vcd {

// A <disk device='cdrom'> of the domain.
struct CdromSlot {
  std::string target;      // e.g. "hdd"
  std::string bus;         // e.g. "ide"
  std::string sourceFile;  // empty when no medium
};

struct DomainDefinition {
  std::string name;
  std::string uuid;      // canonical lower-case form
  std::string arch;      // <os><type arch>, e.g. "x86_64", "aarch64"
  std::string machine;   // <os><type machine>, e.g. "pc-q35-7.2", "virt"
  std::string osinfoId;  // libosinfo's os id, e.g. "http://microsoft.com/win/10"
  std::optional<ConfigDriveMetadata> configDrive;
  std::vector<CdromSlot> cdroms;
  std::vector<std::string> interfaceMacs;
  bool guestAgentChannel{};  // a virtio <channel> named kGuestAgentChannel: libvirt's way to the QEMU guest agent
};

// The virtio-serial port name the QEMU guest agent listens on, and libvirt looks for.
inline constexpr std::string_view kGuestAgentChannel = "org.qemu.guest_agent.0";

// Parses domain XML; throws Error naming the element (or the offset of malformed XML) and why.
DomainDefinition parseDomainXml(std::string_view xml);

// Whether the XML mentions the cd:configdrive namespace URI at all. libvirt writes every namespace URI out, so XML
// without it has no cd:configdrive. A substring search: the hook calls it before the C++ runtime has started,
// under the rules of hook/early_exit.h.
bool mentionsConfigDriveNamespace(std::string_view xml);

// What the hook parses: the definition of a domain that has cd:configdrive, nullopt for any other domain, whose
// XML is not judged at all. Throws Error like parseDomainXml for a domain with cd:configdrive.
std::optional<DomainDefinition> parseConfigDriveDomain(std::string_view xml);

// Whether the CD-ROM's source file is named <uuid>.iso: the config drive's CD-ROM, or a twin of it.
bool namesConfigDriveFile(const DomainDefinition& domain, const CdromSlot& slot);

// The config drive's CD-ROM: the first cdrom disk whose source file is named <uuid>.iso.
std::optional<CdromSlot> configDriveCdrom(const DomainDefinition& domain);

// The CD-ROMs after configDriveCdrom's that name a file called <uuid>.iso too: the guest sees each as a config drive,
// and the hook builds only the first.
std::vector<CdromSlot> configDriveTwins(const DomainDefinition& domain);

// A running domain whose config-drive CD-ROM qemu holds empty (the insert of a swap failed) names no <uuid>.iso in
// its live definition. When `persistent` names the drive on a CD-ROM that `live` has empty, that CD-ROM of `live`
// gets the persistent one's source, so that the drive can be built and inserted there; returns whether it did.
bool fillEmptiedConfigDriveCdrom(DomainDefinition& live, const DomainDefinition& persistent);

// True for the canonical 8-4-4-4-12 hexadecimal form.
bool isUuid(std::string_view text);

}  // namespace vcd
