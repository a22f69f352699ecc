// The link to libvirtd: RAII handles for connections, domains and storage pools, errors that name them, and the
// calls on them the commands make.
#pragma once

#include <libvirt/libvirt.h>

#include <memory>
#include <string>
#include <vector>

#include "domain/configdrive_metadata.h"

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

// A storage pool as doctor reports it.
struct StoragePoolState {
  bool defined = false;
  bool active = false;
  bool autostart = false;
  std::string path;  // its <target><path>, when defined
};

class LibvirtSession {
 public:
  // Opens uri (libvirt's default when empty), quiet: libvirt's errors come back as Error, never on stderr.
  explicit LibvirtSession(const std::string& uri);

  // A domain by name, UUID or id, like virsh.
  DomainHandle lookupDomain(const std::string& domain) const;

  // A domain by UUID; null when there is none.
  DomainHandle findDomainByUuid(const std::string& uuid) const;

  // Defines (or redefines) a domain from its XML; Error("<what>: <libvirt's message>").
  DomainHandle defineDomain(const std::string& xml, const std::string& what) const;

  // Every running domain.
  std::vector<DomainHandle> runningDomains() const;

  // The pool's directory, creating, building and starting a dir pool at defaultPath when it is missing, and
  // starting it when it is inactive.
  std::string ensureDirPool(const std::string& name, const std::string& defaultPath) const;

  StoragePoolState storagePool(const std::string& name) const;

  // The host's capabilities XML (virsh capabilities).
  std::string capabilitiesXml() const;

  // The daemon's libvirt version, as major * 1000000 + minor * 1000 + release.
  unsigned long daemonVersion() const;

  virConnectPtr get() const { return connection_.get(); }

 private:
  std::unique_ptr<virConnect, ConnectionClose> connection_;
};

// The domain's XML: live when running (flags 0), the persistent definition with VIR_DOMAIN_XML_INACTIVE.
std::string domainXml(virDomainPtr domain, unsigned flags);

bool isRunning(virDomainPtr domain);

// Whether the domain has a persistent definition (not transient).
bool isPersistent(virDomainPtr domain);

// The domain's name; its UUID when libvirt gives none.
std::string domainName(virDomainPtr domain);

// The domain's UUID, canonical form; "" when libvirt gives none.
std::string domainUuid(virDomainPtr domain);

// The running domain's id, which a new start changes.
unsigned int domainId(virDomainPtr domain);

// Where libvirt learns a running guest's addresses: from its guest agent, or from the network's DHCP leases.
enum class AddressSource { GuestAgent, DhcpLease };

// Every address libvirt knows for the guest from that source; empty when it knows none.
std::vector<std::string> interfaceAddresses(virDomainPtr domain, AddressSource source);

// virDomainSetMetadata with the cd:configdrive element; flags: VIR_DOMAIN_AFFECT_LIVE and/or _CONFIG.
void setConfigDriveMetadata(virDomainPtr domain, const ConfigDriveMetadata& metadata, unsigned flags);

}  // namespace vcd
