// The link to libvirtd: RAII handles for connections, domains and storage pools, errors that name them.
#include "virt/libvirt_session.h"

#include <libvirt/virterror.h>
#include <pugixml.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <sstream>

#include "domain/domain_definition.h"
#include "util/error.h"

namespace vcd {

namespace {

void ignoreLibvirtError(void*, virErrorPtr) {}

// A domain id, as virsh takes one: digits within an int (a longer number is tried as a name).
std::optional<int> domainId(const std::string& text) {
  int id = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || text[0] == '-' || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return id;
}

std::string dirPoolXml(const std::string& name, const std::string& path) {
  pugi::xml_document doc;
  pugi::xml_node pool = doc.append_child("pool");
  pool.append_attribute("type") = "dir";
  pool.append_child("name").text() = name.c_str();
  pool.append_child("target").append_child("path").text() = path.c_str();
  std::ostringstream out;
  doc.save(out, "  ", pugi::format_default | pugi::format_no_declaration);
  return out.str();
}

}  // namespace

std::string libvirtMessage() {
  const char* message = virGetLastErrorMessage();
  return message ? message : "unknown libvirt error";
}

void throwLibvirtError(const std::string& what) { throw Error(what + ": " + libvirtMessage()); }

std::string takeLibvirtString(char* text, const std::string& what) {
  if (text == nullptr) throwLibvirtError(what);
  std::unique_ptr<char, decltype(&std::free)> owner(text, &std::free);
  return text;
}

std::string storagePoolPath(virStoragePoolPtr pool, const std::string& name) {
  std::string xml = takeLibvirtString(virStoragePoolGetXMLDesc(pool, 0), "storage pool " + name);
  pugi::xml_document doc;
  doc.load_string(xml.c_str());
  std::string path = doc.child("pool").child("target").child("path").text().get();
  if (path.empty()) throw Error("storage pool " + name + ": has no <target><path>; it must be a dir pool");
  return path;
}

LibvirtSession::LibvirtSession(const std::string& uri) {
  virSetErrorFunc(nullptr, ignoreLibvirtError);
  connection_.reset(virConnectOpen(uri.empty() ? nullptr : uri.c_str()));
  if (!connection_) throwLibvirtError("cannot connect to " + (uri.empty() ? std::string("libvirt") : uri));
}

DomainHandle LibvirtSession::lookupDomain(const std::string& domain) const {
  virDomainPtr found = nullptr;
  if (std::optional<int> id = domainId(domain)) found = virDomainLookupByID(get(), *id);
  if (found == nullptr && isUuid(domain)) found = virDomainLookupByUUIDString(get(), domain.c_str());
  if (found == nullptr) found = virDomainLookupByName(get(), domain.c_str());
  if (found == nullptr) throw Error("no such domain");
  return DomainHandle(found);
}

DomainHandle LibvirtSession::findDomainByUuid(const std::string& uuid) const {
  return DomainHandle(virDomainLookupByUUIDString(get(), uuid.c_str()));
}

DomainHandle LibvirtSession::defineDomain(const std::string& xml, const std::string& what) const {
  DomainHandle defined(virDomainDefineXML(get(), xml.c_str()));
  if (!defined) throwLibvirtError(what);
  return defined;
}

std::vector<DomainHandle> LibvirtSession::runningDomains() const {
  virDomainPtr* listed = nullptr;
  int count = virConnectListAllDomains(get(), &listed, VIR_CONNECT_LIST_DOMAINS_ACTIVE);
  if (count < 0) throwLibvirtError("listing the running domains");
  std::vector<DomainHandle> domains;
  for (int i = 0; i < count; ++i) domains.emplace_back(listed[i]);
  std::free(listed);
  return domains;
}

std::string LibvirtSession::ensureDirPool(const std::string& name, const std::string& defaultPath) const {
  PoolHandle pool(virStoragePoolLookupByName(get(), name.c_str()));
  if (!pool) {
    pool.reset(virStoragePoolDefineXML(get(), dirPoolXml(name, defaultPath).c_str(), 0));
    if (!pool) throwLibvirtError("defining storage pool " + name + " at " + defaultPath);
    if (virStoragePoolBuild(pool.get(), 0) < 0) throwLibvirtError("building storage pool " + name);
    if (virStoragePoolSetAutostart(pool.get(), 1) < 0) throwLibvirtError("autostarting storage pool " + name);
  }
  if (virStoragePoolIsActive(pool.get()) != 1 && virStoragePoolCreate(pool.get(), 0) < 0) {
    throwLibvirtError("starting storage pool " + name);
  }
  return storagePoolPath(pool.get(), name);
}

StoragePoolState LibvirtSession::storagePool(const std::string& name) const {
  StoragePoolState state;
  PoolHandle pool(virStoragePoolLookupByName(get(), name.c_str()));
  if (!pool) return state;
  state.defined = true;
  state.active = virStoragePoolIsActive(pool.get()) == 1;
  int autostart = 0;
  state.autostart = virStoragePoolGetAutostart(pool.get(), &autostart) == 0 && autostart == 1;
  state.path = storagePoolPath(pool.get(), name);
  return state;
}

std::string LibvirtSession::capabilitiesXml() const {
  return takeLibvirtString(virConnectGetCapabilities(get()), "reading libvirt's capabilities");
}

unsigned long LibvirtSession::daemonVersion() const {
  unsigned long version = 0;
  if (virConnectGetLibVersion(get(), &version) < 0) throwLibvirtError("reading the daemon's version");
  return version;
}

std::string domainXml(virDomainPtr domain, unsigned flags) {
  return takeLibvirtString(virDomainGetXMLDesc(domain, flags),
                           std::string(virDomainGetName(domain)) + ": reading its XML");
}

bool isRunning(virDomainPtr domain) { return virDomainIsActive(domain) == 1; }

bool isPersistent(virDomainPtr domain) { return virDomainIsPersistent(domain) == 1; }

std::string domainName(virDomainPtr domain) {
  const char* name = virDomainGetName(domain);
  return name != nullptr ? name : domainUuid(domain);
}

std::string domainUuid(virDomainPtr domain) {
  char uuid[VIR_UUID_STRING_BUFLEN] = {};
  return virDomainGetUUIDString(domain, uuid) == 0 ? uuid : "";
}

unsigned int domainId(virDomainPtr domain) { return virDomainGetID(domain); }

std::vector<std::string> interfaceAddresses(virDomainPtr domain, AddressSource source) {
  virDomainInterfacePtr* interfaces = nullptr;
  int count =
      virDomainInterfaceAddresses(domain, &interfaces,
                                  source == AddressSource::GuestAgent ? VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT
                                                                      : VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE,
                                  0);
  std::vector<std::string> addresses;
  for (int i = 0; i < count; ++i) {
    for (unsigned j = 0; j < interfaces[i]->naddrs; ++j) {
      if (interfaces[i]->addrs[j].addr != nullptr) addresses.emplace_back(interfaces[i]->addrs[j].addr);
    }
    virDomainInterfaceFree(interfaces[i]);
  }
  std::free(interfaces);
  return addresses;
}

void setConfigDriveMetadata(virDomainPtr domain, const ConfigDriveMetadata& metadata, unsigned flags) {
  std::string element = configDriveElementForLibvirt(metadata);
  if (virDomainSetMetadata(domain, VIR_DOMAIN_METADATA_ELEMENT, element.c_str(), "cd", kConfigDriveNamespace, flags) <
      0) {
    throwLibvirtError("writing the cd:configdrive metadata");
  }
}

}  // namespace vcd
