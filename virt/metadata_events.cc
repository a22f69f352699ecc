// libvirt's default event loop and the watch's events on one connection.
#include "virt/metadata_events.h"

#include <cstring>

#include "domain/configdrive_metadata.h"

namespace vcd {

void startEventLoop() {
  if (virEventRegisterDefaultImpl() < 0) throwLibvirtError("starting libvirt's event loop");
  virEventTimeoutCallback wakeUp = [](int, void*) {};
  if (virEventAddTimeout(1000, wakeUp, nullptr, nullptr) < 0) throwLibvirtError("starting libvirt's event loop");
}

void runEventLoopOnce() { virEventRunDefaultImpl(); }

MetadataEvents::MetadataEvents(const LibvirtSession& session) : connection_(session.get()) {
  virConnectSetKeepAlive(connection_, 5, 3);
  if (virConnectRegisterCloseCallback(connection_, onClose, this, nullptr) < 0) {
    throwLibvirtError("watching the connection");
  }
  // libvirt takes every event's callback as the generic type and calls it with the event's own signature. The cast
  // goes through void (*)(), which compilers accept as a deliberate change of function type; clang 19's -Wextra
  // warns of VIR_DOMAIN_EVENT_CALLBACK's direct cast.
  auto callback = reinterpret_cast<virConnectDomainEventGenericCallback>(
      reinterpret_cast<void (*)()>(&MetadataEvents::onMetadataChange));
  metadataCallback_ = virConnectDomainEventRegisterAny(connection_, nullptr, VIR_DOMAIN_EVENT_ID_METADATA_CHANGE,
                                                       callback, this, nullptr);
  if (metadataCallback_ < 0) {
    virConnectUnregisterCloseCallback(connection_, onClose);
    throwLibvirtError("registering for metadata changes");
  }
}

MetadataEvents::~MetadataEvents() {
  virConnectDomainEventDeregisterAny(connection_, metadataCallback_);
  virConnectUnregisterCloseCallback(connection_, onClose);
}

std::set<std::string> MetadataEvents::takeChanged() {
  std::set<std::string> changed;
  changed.swap(changed_);
  return changed;
}

void MetadataEvents::onClose(virConnectPtr, int, void* self) { static_cast<MetadataEvents*>(self)->closed_ = true; }

// libvirt calls this for every namespace; only cd:configdrive's concern the watch.
void MetadataEvents::onMetadataChange(virConnectPtr, virDomainPtr domain, int type, const char* uri, void* self) {
  if (type != VIR_DOMAIN_METADATA_ELEMENT || uri == nullptr || std::strcmp(uri, kConfigDriveNamespace) != 0) return;
  std::string uuid = domainUuid(domain);
  if (!uuid.empty()) static_cast<MetadataEvents*>(self)->changed_.insert(uuid);
}

}  // namespace vcd
