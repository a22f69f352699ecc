// A running domain's drive made equal to its live <cd:configdrive> metadata.
#include "cli/drive_reconciler.h"

#include <chrono>
#include <map>

#include "cli/domain_command.h"
#include "cli/media_swap.h"
#include "host/domain_drive.h"
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

}  // namespace

Reconciled DriveReconciler::reconcile(virDomainPtr domain) {
  const std::string name = printableValue(domainName(domain));
  try {
    std::optional<DomainDefinition> live = parseConfigDriveDomain(domainXml(domain, 0));
    if (!live) return Reconciled::Unchanged;
    LibvirtDomainMedia media(domain);
    const bool slotEmpty = withEmptiedSlot(media, *live);
    return swap(media, name, *live, slotEmpty) ? Reconciled::Swapped : Reconciled::Unchanged;
  } catch (const Error& error) {
    reportProblem(context_.err, context_.log, name + ": not applied: " + error.what());
    return dynamic_cast<const TrayLockedError*>(&error) != nullptr ? Reconciled::TrayLocked : Reconciled::Failed;
  }
}

bool DriveReconciler::swap(DomainMedia& media, const std::string& name, const DomainDefinition& live, bool slotEmpty) {
  std::optional<DomainDrive> drive = buildDomainDrive(live, config_, context_.paths);
  if (!drive) {
    if (reportUnchanged_) {
      context_.out << name << ": running without its config-drive CD-ROM (" << live.uuid
                   << ".iso); the drive comes at its next start\n";
    }
    return false;
  }
  for (const std::string& warning : drive->warnings) reportWarning(context_.err, name, warning);
  auto began = std::chrono::steady_clock::now();
  const std::string isoPath = drive->pool.isoPath(live.uuid).string();
  std::string changed;
  DriveSwapOptions options{
      .lockedAdvice =
          "the previous drive stays attached; it is swapped once the guest unmounts it and watch runs again",
      .beforeEject = [&] { changed = changedFiles(isoPath, drive->iso); },
      .slotEmpty = slotEmpty};
  if (swapRunningDrive(media, live.uuid, *drive, options) == DriveSwap::Unchanged) {
    if (reportUnchanged_) context_.out << name << ": config drive up to date\n";
    return false;
  }
  auto milliseconds =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - began).count();
  std::string line =
      printableLine(name + ": config drive " + (slotEmpty ? "put back" : "updated") + " on " + drive->cdrom.target +
                    ": " + (changed.empty() ? "no file changed" : changed) + "; " + std::to_string(drive->iso.size()) +
                    " bytes; " + std::to_string(milliseconds) + " ms");
  context_.out << line << std::endl;  // `watch` runs for long, its output to a file or the journal
  context_.log.info(line);
  return true;
}

}  // namespace vcd
