// `virt-configdrive watch [--once]`: the drives of running domains follow their live metadata, whoever changes it.
// With --once it goes through every running domain and exits; without, it follows libvirt's metadata
// events until SIGTERM, reconnecting when the daemon goes away.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <thread>

#include "cli/domain_command.h"
#include "cli/drive_reconciler.h"
#include "util/error.h"
#include "util/text.h"
#include "virt/metadata_events.h"

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
    startEventLoop();
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
      runEventLoopOnce();
      if (events_->closed()) disconnect();
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
      events_ = std::make_unique<MetadataEvents>(*session);
      session_ = std::move(session);
      reconciler_ = std::make_unique<DriveReconciler>(loadHostConfig(context_.paths.configFile), context_,
                                                      UnchangedDrives::Silent);
      say("virt-configdrive watch: connected to " + where + "; following metadata changes");
      for (const DomainHandle& domain : session_->runningDomains()) follow(domain.get());
      return true;
    } catch (const Error& error) {
      reportProblem(context_.err, context_.log, "watch: " + std::string(error.what()) + "; trying again");
      disconnect();
      return false;
    }
  }

  void disconnect() {
    const bool closed = events_ && events_->closed();
    events_.reset();
    if (!session_) return;
    session_.reset();
    retries_.clear();
    if (closed) say("virt-configdrive watch: the connection to libvirt closed; reconnecting");
  }

  // Swaps the domain's drive when it differs (after libvirt's dispatch, never inside a callback); a locked tray is
  // tried again later.
  void follow(virDomainPtr domain) {
    const std::string uuid = domainUuid(domain);
    if (uuid.empty()) return;
    if (reconciler_->reconcile(domain) != Reconciled::TrayLocked) {
      retries_.erase(uuid);
      return;
    }
    Retry& retry = retries_[uuid];
    ++retry.attempts;
    if (retry.attempts >= kMaxAttempts) {
      reportProblem(context_.err, context_.log,
                    printableValue(domainName(domain)) + ": still mounted after " + std::to_string(retry.attempts) +
                        " tries; the previous drive stays until the next change or 'watch --once'");
      retries_.erase(uuid);
      return;
    }
    retry.due = Clock::now() + retryDelay(retry.attempts);
  }

  void processDue() {
    std::set<std::string> due = events_->takeChanged();
    for (const auto& [uuid, retry] : retries_) {
      if (retry.due <= Clock::now()) due.insert(uuid);
    }
    for (const std::string& uuid : due) {
      DomainHandle domain = session_->findDomainByUuid(uuid);
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
  std::unique_ptr<MetadataEvents> events_;  // session_'s, ended before it
  std::unique_ptr<DriveReconciler> reconciler_;
  std::map<std::string, Retry> retries_;  // domains whose guest held the tray locked
};

}  // namespace

int runWatch(const ParsedArguments& parsed, const CommandContext& invoked) {
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
