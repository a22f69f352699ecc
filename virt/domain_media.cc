// A running domain's CD-ROM media through libvirt.
#include "virt/domain_media.h"

#include "virt/libvirt_session.h"

namespace vcd {

std::string LibvirtDomainMedia::name() const { return domainName(domain_); }

std::string LibvirtDomainMedia::changeMedium(const std::string& deviceXml, bool force) {
  unsigned flags = VIR_DOMAIN_AFFECT_LIVE | (force ? VIR_DOMAIN_DEVICE_MODIFY_FORCE : 0);
  return virDomainUpdateDeviceFlags(domain_, deviceXml.c_str(), flags) == 0 ? std::string() : libvirtMessage();
}

std::optional<std::string> LibvirtDomainMedia::persistentXml() const {
  if (!isPersistent(domain_)) return std::nullopt;
  return domainXml(domain_, VIR_DOMAIN_XML_INACTIVE);
}

}  // namespace vcd
