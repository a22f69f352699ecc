// The CLI's link to libvirtd: RAII handles for connections, domains and storage pools, errors that name them.
#pragma once

#include <libvirt/libvirt.h>

#include <memory>
#include <string>
#include <vector>

namespace vcd {

struct DomainFree {
  void operator()(virDomainPtr p) const { virDomainFree(p); }
};
struct PoolFree {
  void operator()(virStoragePoolPtr p) const { virStoragePoolFree(p); }
};
struct ConnectionClose {
  void operator()(virConnectPtr p) const { virConnectClose(p); }
};

using DomainHandle = std::unique_ptr<virDomain, DomainFree>;
using PoolHandle = std::unique_ptr<virStoragePool, PoolFree>;

// libvirt's last error for this thread, as text.
std::string libvirtMessage();

// Throws Error("<what>: <libvirt's message>").
[[noreturn]] void throwLibvirtError(const std::string& what);

// A string libvirt allocated, freed; Error("<what>: …") when libvirt returned none.
std::string takeLibvirtString(char* text, const std::string& what);

// A dir pool's <target><path>; Error when it has none.
std::string storagePoolPath(virStoragePoolPtr pool, const std::string& name);

class LibvirtSession {
 public:
  // Opens uri (libvirt's default when empty), quiet: libvirt's errors come back as Error, never on stderr.
  explicit LibvirtSession(const std::string& uri);

  // A domain by name, UUID or id, like virsh.
  DomainHandle lookupDomain(const std::string& domain) const;

  // Every running domain.
  std::vector<DomainHandle> runningDomains() const;

  // The pool's directory, creating, building and starting a dir pool at defaultPath when it is missing, and
  // starting it when it is inactive.
  std::string ensureDirPool(const std::string& name, const std::string& defaultPath) const;

  virConnectPtr get() const { return connection_.get(); }

 private:
  std::unique_ptr<virConnect, ConnectionClose> connection_;
};

// The domain's XML: live when running (flags 0), the persistent definition with VIR_DOMAIN_XML_INACTIVE.
std::string domainXml(virDomainPtr domain, unsigned flags);

bool isRunning(virDomainPtr domain);

}  // namespace vcd
