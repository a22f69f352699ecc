// `virt-configdrive watch [--once]`: the drives of running domains follow their live metadata, whoever changes it
// (issue 13). With --once it goes through every running domain and exits; without, it follows libvirt's metadata
// events until SIGTERM, reconnecting when the daemon goes away.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <thread>

#include "cli/domain_command.h"
#include "cli/drive_reconciler.h"
#include "domain/configdrive_metadata.h"
#include "util/error.h"
#include "util/text.h"

namespace vcd {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::seconds;

std::atomic<bool> stopRequested{false};

extern "C" void requestStop(int) { stopRequested = true; }

// SIGTERM (systemd's stop) and SIGINT end the watch; without SA_RESTART, so that a wait returns at once.
void stopOnSignals() {
  struct sigaction action {};
  action.sa_handler = requestStop;
  sigemptyset(&action.sa_mask);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
}

// A change that could not land yet because the guest held its tray locked: tried again with backoff.
struct Retry {
  int attempts = 0;
  Clock::time_point due;
};

// A locked tray is tried again after 5, 10, 20, 40, 60 and 60 s (each try itself waits up to 10 s for the guest),
// about four minutes in all; then the previous drive stays until the next change or `watch --once`.
constexpr int kMaxAttempts = 7;
seconds retryDelay(int attempts) { return seconds(std::min(60, 5 << std::min(attempts - 1, 4))); }

class EventWatch {
 public:
  explicit EventWatch(const CommandContext& context) : context_(context) {}

  int run() {
    stopOnSignals();
    if (virEventRegisterDefaultImpl() < 0) throwLibvirtError("starting libvirt's event loop");
    // A tick each second: retries come due, a lost connection is noticed, a stop request is seen.
    virEventTimeoutCallback wakeUp = [](int, void*) {};
    int tick = virEventAddTimeout(1000, wakeUp, nullptr, nullptr);
    if (tick < 0) throwLibvirtError("starting libvirt's event loop");
    seconds backoff(1);
    while (!stopRequested) {
      if (!session_) {
        if (connect()) {
          backoff = seconds(1);
        } else {
          sleepUnlessStopped(backoff);
          backoff = std::min(backoff * 2, seconds(30));
        }
        continue;
      }
      virEventRunDefaultImpl();
      if (closed_) disconnect();
      if (session_) processDue();
    }
    disconnect();
    say("virt-configdrive watch: stopped");
    return 0;
  }

 private:
  void say(const std::string& line) {
    context_.out << line << std::endl;
    context_.log.info(line);
  }

  void sleepUnlessStopped(seconds duration) {
    auto until = Clock::now() + duration;
    while (!stopRequested && Clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }

  // Connects, registers for metadata changes, and goes through every running domain: a change made while
  // disconnected (a daemon restart) lands now.
  bool connect() {
    const std::string where = context_.uri.empty() ? "libvirt" : context_.uri;
    try {
      auto session = std::make_unique<LibvirtSession>(context_.uri);
      virConnectPtr connection = session->get();
      virConnectSetKeepAlive(connection, 5, 3);
      if (virConnectRegisterCloseCallback(connection, onClose, this, nullptr) < 0) {
        throwLibvirtError("watching the connection");
      }
      // libvirt takes every event's callback as the generic type and calls it with the event's own signature. The
      // cast goes through void (*)(), which compilers accept as a deliberate change of function type; clang 19's
      // -Wextra warns of VIR_DOMAIN_EVENT_CALLBACK's direct cast.
      auto callback = reinterpret_cast<virConnectDomainEventGenericCallback>(
          reinterpret_cast<void (*)()>(&EventWatch::onMetadataChange));
      metadataCallback_ = virConnectDomainEventRegisterAny(connection, nullptr, VIR_DOMAIN_EVENT_ID_METADATA_CHANGE,
                                                           callback, this, nullptr);
      if (metadataCallback_ < 0) {
        virConnectUnregisterCloseCallback(connection, onClose);
        throwLibvirtError("registering for metadata changes");
      }
      session_ = std::move(session);
      closed_ = false;
      reconciler_ = std::make_unique<DriveReconciler>(loadHostConfig(context_.paths.configFile), context_,
                                                      UnchangedDrives::Silent);
      say("virt-configdrive watch: connected to " + where + "; following metadata changes");
      for (const DomainHandle& domain : session_->runningDomains()) follow(domain.get());
      return true;
    } catch (const Error& error) {
      reportProblem(context_.err, context_.log, "watch: " + std::string(error.what()) + "; trying again");
      if (session_) disconnect();
      return false;
    }
  }

  void disconnect() {
    if (!session_) return;
    virConnectPtr connection = session_->get();
    if (metadataCallback_ >= 0) virConnectDomainEventDeregisterAny(connection, metadataCallback_);
    virConnectUnregisterCloseCallback(connection, onClose);
    metadataCallback_ = -1;
    session_.reset();
    retries_.clear();
    if (closed_) say("virt-configdrive watch: the connection to libvirt closed; reconnecting");
  }

  static void onClose(virConnectPtr, int, void* self) { static_cast<EventWatch*>(self)->closed_ = true; }

  // libvirt calls this for every namespace; only cd:configdrive's concern the watch. The drive is swapped after
  // the callback returns, outside libvirt's dispatch.
  static void onMetadataChange(virConnectPtr, virDomainPtr domain, int type, const char* uri, void* self) {
    if (type != VIR_DOMAIN_METADATA_ELEMENT || uri == nullptr || std::strcmp(uri, kConfigDriveNamespace) != 0) return;
    char uuid[VIR_UUID_STRING_BUFLEN] = {};
    if (virDomainGetUUIDString(domain, uuid) == 0) static_cast<EventWatch*>(self)->changed_.insert(uuid);
  }

  // Swaps the domain's drive when it differs; a locked tray is tried again later.
  void follow(virDomainPtr domain) {
    char uuid[VIR_UUID_STRING_BUFLEN] = {};
    if (virDomainGetUUIDString(domain, uuid) < 0) return;
    if (reconciler_->reconcile(domain) != Reconciled::TrayLocked) {
      retries_.erase(uuid);
      return;
    }
    Retry& retry = retries_[uuid];
    ++retry.attempts;
    if (retry.attempts >= kMaxAttempts) {
      const char* name = virDomainGetName(domain);
      reportProblem(context_.err, context_.log,
                    quotedValue(name == nullptr ? uuid : name) + ": still mounted after " +
                        std::to_string(retry.attempts) +
                        " tries; the previous drive stays until the next change or 'watch --once'");
      retries_.erase(uuid);
      return;
    }
    retry.due = Clock::now() + retryDelay(retry.attempts);
  }

  void processDue() {
    std::set<std::string> due;
    due.swap(changed_);
    for (const auto& [uuid, retry] : retries_) {
      if (retry.due <= Clock::now()) due.insert(uuid);
    }
    for (const std::string& uuid : due) {
      DomainHandle domain(virDomainLookupByUUIDString(session_->get(), uuid.c_str()));
      // Gone, or stopped: its next start builds the drive anew (the hook).
      if (!domain || !isRunning(domain.get())) {
        retries_.erase(uuid);
        continue;
      }
      follow(domain.get());
    }
  }

  const CommandContext& context_;
  std::unique_ptr<LibvirtSession> session_;
  std::unique_ptr<DriveReconciler> reconciler_;
  int metadataCallback_ = -1;
  bool closed_ = false;
  std::set<std::string> changed_;         // domains whose metadata changed, by UUID, since the last pass
  std::map<std::string, Retry> retries_;  // domains whose guest held the tray locked
};

}  // namespace

int runWatch(const std::vector<std::string>& args, const CommandContext& invoked) {
  ParsedArguments parsed = parseCommandArguments("watch", args);
  if (!parsed.operands.empty()) throw UsageError("watch takes no operand");
  // Run by systemd (the package's virt-configdrive-watch.service), its lines reach the journal through syslog
  // alone: written to stdout and stderr as well, each would be there twice.
  std::ostream discarded(nullptr);
  const CommandContext context{invoked.paths,
                               invoked.uri,
                               invoked.in,
                               isJournalStream(STDOUT_FILENO) ? discarded : invoked.out,
                               isJournalStream(STDERR_FILENO) ? discarded : invoked.err,
                               invoked.log};
  if (!parsed.has("--once")) return EventWatch(context).run();
  LibvirtSession libvirt(context.uri);
  DriveReconciler reconciler(loadHostConfig(context.paths.configFile), context, UnchangedDrives::Reported);
  bool allApplied = true;
  for (const DomainHandle& domain : libvirt.runningDomains()) {
    Reconciled outcome = reconciler.reconcile(domain.get());
    allApplied = allApplied && outcome != Reconciled::TrayLocked && outcome != Reconciled::Failed;
  }
  return allApplied ? 0 : 1;
}

}  // namespace vcd
