// What a swap of a running domain's config drive asks of libvirt: the one seam between the swap's steps
// (cli/media_swap) and libvirtd, so that a test puts a fake in its place and drives every failure the swap meets.
#pragma once

#include <libvirt/libvirt.h>

#include <optional>
#include <string>

namespace vcd {

class DomainMedia {
 public:
  virtual ~DomainMedia() = default;

  // The domain's name, for messages.
  virtual std::string name() const = 0;

  // Changes a CD-ROM's medium on the running domain to what deviceXml says (a <disk> with or without <source>);
  // force: even when the guest holds the tray locked. "" on success, else libvirt's message.
  virtual std::string changeMedium(const std::string& deviceXml, bool force) = 0;

  // The XML of the domain's persistent definition; nullopt for a transient domain.
  virtual std::optional<std::string> persistentXml() const = 0;
};

// DomainMedia through libvirt: virDomainUpdateDeviceFlags on the live domain.
class LibvirtDomainMedia final : public DomainMedia {
 public:
  explicit LibvirtDomainMedia(virDomainPtr domain) : domain_(domain) {}

  std::string name() const override;
  std::string changeMedium(const std::string& deviceXml, bool force) override;
  std::optional<std::string> persistentXml() const override;

 private:
  virDomainPtr domain_;
};

}  // namespace vcd
