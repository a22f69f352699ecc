// The media change that swaps a running domain's config drive (SPEC §6: eject, place, insert), for `update` and
// `watch`.
#include "cli/media_swap.h"

#include "cli/libvirt_session.h"
#include "domain/domain_editor.h"

namespace vcd {

namespace {

void ejectCdrom(virDomainPtr domain, const CdromSlot& cdrom, bool force, const std::string& lockedAdvice) {
  unsigned flags = VIR_DOMAIN_AFFECT_LIVE | (force ? VIR_DOMAIN_DEVICE_MODIFY_FORCE : 0);
  std::string xml = cdromDeviceXml(cdrom, "");
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (virDomainUpdateDeviceFlags(domain, xml.c_str(), flags) == 0) return;
    std::string message = libvirtMessage();
    if (message.find("tray") == std::string::npos) {
      throw Error("ejecting the config drive from " + cdrom.target + ": " + message + "; nothing was changed");
    }
  }
  throw TrayLockedError("ejecting the config drive from " + cdrom.target +
                        ": the guest has the drive mounted and holds its tray locked; " + lockedAdvice);
}

void insertCdrom(virDomainPtr domain, const CdromSlot& cdrom, const std::string& isoPath) {
  if (virDomainUpdateDeviceFlags(domain, cdromDeviceXml(cdrom, isoPath).c_str(), VIR_DOMAIN_AFFECT_LIVE) < 0) {
    throwLibvirtError("inserting " + isoPath + " into " + cdrom.target);
  }
}

}  // namespace

void swapCdromMedium(virDomainPtr domain, const CdromSlot& cdrom, const std::string& isoPath, bool force,
                     const std::string& lockedAdvice, const std::function<void()>& replace) {
  ejectCdrom(domain, cdrom, force, lockedAdvice);
  try {
    replace();
  } catch (const Error&) {
    insertCdrom(domain, cdrom, isoPath);  // the previous drive, still in place
    throw;
  }
  insertCdrom(domain, cdrom, isoPath);
}

}  // namespace vcd
