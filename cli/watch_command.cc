// `virt-configdrive watch --once`: the drive of every running domain made equal to its live <cd:configdrive>
// metadata, whoever changed that metadata (virsh, virt-manager, Terraform, a script): what `update` does for a
// running domain, without ever forcing a locked tray (issue 13). The event-driven watch is yet to come.
#include <chrono>
#include <map>

#include "cli/domain_command.h"
#include "cli/media_swap.h"
#include "host/domain_drive.h"
#include "host/domain_lock.h"
#include "host/iso_placement.h"
#include "iso/iso_reader.h"
#include "util/error.h"
#include "util/text.h"

namespace vcd {

namespace {

// The files that differ between the drive in place and the new one, without their leading '/'; a file gone from
// the new one is marked so. Everything, when the drive in place cannot be read.
std::string changedFiles(const std::string& placedPath, const std::string& iso) {
  std::map<std::string, IsoFileEntry> before;
  try {
    before = readIso(placedPath).files;
  } catch (const Error&) {
  }
  std::map<std::string, IsoFileEntry> after = readIsoImage(iso, "the new drive").files;
  std::string changed;
  auto add = [&changed](const std::string& path, const char* suffix) {
    changed += (changed.empty() ? "" : ", ") + path.substr(1) + suffix;
  };
  for (const auto& [path, entry] : after) {
    auto old = before.find(path);
    if (old == before.end() || old->second.data != entry.data) add(path, "");
  }
  for (const auto& [path, entry] : before) {
    if (after.count(path) == 0) add(path, " (removed)");
  }
  return changed;
}

class Reconciler {
 public:
  Reconciler(HostConfig config, const CommandContext& context) : config_(std::move(config)), context_(context) {}

  // Makes the running domain's drive equal to its live metadata. False, with one line on err and in syslog,
  // when it could not; the drive in place then stays attached as it was.
  bool reconcile(virDomainPtr domain) {
    const char* rawName = virDomainGetName(domain);
    const std::string name = quotedValue(rawName == nullptr ? "?" : rawName);
    try {
      std::optional<DomainDefinition> live = parseConfigDriveDomain(domainXml(domain, 0));
      if (!live) return true;
      swapIfChanged(domain, name, *live);
      return true;
    } catch (const Error& error) {
      std::string line = oneLine(name + ": not applied: " + error.what());
      context_.err << "virt-configdrive: " << line << '\n';
      context_.log.warning(line);
      return false;
    }
  }

 private:
  void swapIfChanged(virDomainPtr domain, const std::string& name, const DomainDefinition& live) {
    std::optional<DomainDrive> drive = buildDomainDrive(live, config_, context_.paths);
    if (!drive) {
      context_.out << name << ": running without its config-drive CD-ROM (" << live.uuid
                   << ".iso); the drive comes at its next start\n";
      return;
    }
    for (const std::string& warning : drive->warnings) printWarning(context_.err, name, warning);
    auto began = std::chrono::steady_clock::now();
    DomainLock lock = DomainLock::acquire(drive->pool, live.uuid);
    const std::string isoPath = drive->pool.isoPath(live.uuid).string();
    if (holdsIso(drive->pool, live.uuid, drive->iso)) {
      context_.out << name << ": config drive up to date\n";
      return;
    }
    std::string changed = changedFiles(isoPath, drive->iso);
    ejectCdrom(domain, drive->cdrom, false,
               "the previous drive stays attached; it is swapped once the guest unmounts it and watch runs again");
    try {
      placeIso(drive->pool, live.uuid, drive->iso, Replace::Always);
    } catch (const Error&) {
      insertCdrom(domain, drive->cdrom, isoPath);  // the previous drive, still in place
      throw;
    }
    insertCdrom(domain, drive->cdrom, isoPath);
    auto milliseconds =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - began).count();
    std::string line = oneLine(name + ": config drive updated on " + drive->cdrom.target + ": " + changed + "; " +
                               std::to_string(drive->iso.size()) + " bytes; " + std::to_string(milliseconds) + " ms");
    context_.out << line << '\n';
    context_.log.info(line);
  }

  HostConfig config_;
  const CommandContext& context_;
};

}  // namespace

int runWatch(const std::vector<std::string>& args, const CommandContext& context) {
  ParsedArguments parsed = parseCommandArguments("watch", args);
  if (!parsed.operands.empty()) throw UsageError("watch takes no operand");
  if (!parsed.has("--once")) {
    throw UsageError("watch without --once (following libvirt's events) is not available yet; run "
                     "'virt-configdrive watch --once', from cron for instance");
  }
  LibvirtSession libvirt(context.uri);
  Reconciler reconciler(loadHostConfig(context.paths.configFile), context);
  bool allApplied = true;
  for (const DomainHandle& domain : libvirt.runningDomains()) {
    allApplied = reconciler.reconcile(domain.get()) && allApplied;
  }
  return allApplied ? 0 : 1;
}

}  // namespace vcd
