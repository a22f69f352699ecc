// libvirt's events as `watch` follows them: a domain's cd:configdrive metadata changed, the connection closed.
#pragma once

#include <set>
#include <string>

#include "virt/libvirt_session.h"

namespace vcd {

// Starts libvirt's default event loop for the process, with a tick each second: a wait for events then returns at
// least that often (retries come due, a lost connection or a stop request is seen). Throws Error.
void startEventLoop();

// Runs the event loop once: dispatches what has come, or returns at the next tick.
void runEventLoopOnce();

// The events of one connection, from construction (registered: keepalive, close, metadata change) to destruction
// (deregistered). The callbacks only record; the caller acts on what they recorded between runs of the loop.
class MetadataEvents {
 public:
  // Throws Error naming what could not be registered.
  explicit MetadataEvents(const LibvirtSession& session);
  ~MetadataEvents();
  MetadataEvents(const MetadataEvents&) = delete;
  MetadataEvents& operator=(const MetadataEvents&) = delete;

  // Whether libvirt has said the connection closed (the daemon went away, or its keepalive failed).
  bool closed() const { return closed_; }

  // The UUIDs of the domains whose cd:configdrive metadata changed since the last call.
  std::set<std::string> takeChanged();

 private:
  static void onClose(virConnectPtr, int, void* self);
  static void onMetadataChange(virConnectPtr, virDomainPtr domain, int type, const char* uri, void* self);

  virConnectPtr connection_;
  int metadataCallback_ = -1;
  bool closed_ = false;
  std::set<std::string> changed_;
};

}  // namespace vcd
