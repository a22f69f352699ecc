// `virt-configdrive update DOMAIN [data options] [--force] [--no-reattach] [--wait[=SECONDS]]`: new metadata, live and
// config; on a running domain the drive is rebuilt and swapped: eject, place, insert, and with --wait the
// guest's word, through its agent, that it applied it.
#include "cli/domain_command.h"
#include "cli/guest_report.h"
#include "cli/media_swap.h"
#include "domain/domain_editor.h"
#include "host/domain_drive.h"
#include "util/error.h"

namespace vcd {

namespace {

struct UpdateRequest {
  std::string name;
  DataOptions options;
  bool force = false;
  bool noReattach = false;
  std::optional<int> waitSeconds;  // --wait
};

class RunningDomainUpdate {
 public:
  // slotEmpty: qemu holds the config-drive CD-ROM empty (fillEmptiedConfigDriveCdrom), and the drive goes back in.
  RunningDomainUpdate(virDomainPtr domain, const UpdateRequest& request, const CommandContext& context, bool slotEmpty)
      : domain_(domain), request_(request), context_(context), slotEmpty_(slotEmpty) {}

  int run(const DomainDefinition& live, const std::optional<ConfigDriveMetadata>& persistent,
          const HostConfig& config) {
    std::optional<DomainDrive> drive = buildDomainDrive(live, config, context_.paths);
    if (!drive) {
      throw Error("running without its config-drive CD-ROM (" + live.uuid + ".iso); the drive comes at its next start");
    }
    for (const std::string& warning : drive->warnings) {
      reportWarning(context_.err, request_.name, warning);
    }
    DriveSwapOptions options{
        .forceEject = request_.force,
        .reattach = !request_.noReattach,
        .lockedAdvice =
            "unmount it in the guest, or use --force (the guest then loses the mounted drive); nothing was changed",
        .withPlacement = [&] { writeMetadata(*live.configDrive, persistent); },
        .slotEmpty = slotEmpty_};
    LibvirtDomainMedia media(domain_);
    switch (swapRunningDrive(media, live.uuid, *drive, options)) {
      case DriveSwap::Unchanged:
        context_.out << request_.name << ": config drive unchanged\n";
        break;
      case DriveSwap::Placed:
        printReattachCommands(drive->cdrom, drive->pool.isoPath(live.uuid).string());
        break;
      case DriveSwap::Swapped:
        context_.out << request_.name << ": config drive updated; the guest sees it on " << drive->cdrom.target << '\n';
        context_.log.info(request_.name + ": config drive updated and reattached on " + drive->cdrom.target);
        break;
    }
    if (request_.waitSeconds) {
      double waited = waitUntilApplied(domain_, config, context_.paths, *request_.waitSeconds);
      context_.out << request_.name << ": the guest applied the new drive (" << static_cast<int>(waited + 0.5)
                   << " s)\n";
    }
    return 0;
  }

 private:
  void writeMetadata(const ConfigDriveMetadata& live, const std::optional<ConfigDriveMetadata>& persistent) {
    setConfigDriveMetadata(domain_, live, VIR_DOMAIN_AFFECT_LIVE);
    if (persistent) setConfigDriveMetadata(domain_, *persistent, VIR_DOMAIN_AFFECT_CONFIG);
  }

  // qemu keeps the previous file open until the medium is changed; these make the guest see the new one.
  void printReattachCommands(const CdromSlot& cdrom, const std::string& isoPath) {
    context_.out << request_.name << ": new config drive placed at " << isoPath << "; the guest sees it after:\n"
                 << "virsh change-media " << request_.name << ' ' << cdrom.target << " --eject\n"
                 << "virsh change-media " << request_.name << ' ' << cdrom.target << " --insert " << isoPath << '\n';
  }

  virDomainPtr domain_;
  const UpdateRequest& request_;
  const CommandContext& context_;
  bool slotEmpty_;
};

int updateDomain(const UpdateRequest& request, const CommandContext& context) {
  LibvirtSession libvirt(context.uri);
  DomainHandle domain = libvirt.lookupDomain(request.name);
  HostConfig config = loadHostConfig(context.paths.configFile);
  bool persistent = isPersistent(domain.get());
  std::optional<DomainDefinition> inactive;
  if (persistent) inactive = parseDomainXml(domainXml(domain.get(), VIR_DOMAIN_XML_INACTIVE));

  std::optional<DomainDefinition> live;
  bool slotEmpty = false;
  if (isRunning(domain.get())) {
    live = parseDomainXml(domainXml(domain.get(), 0));
    slotEmpty = live->configDrive && inactive && fillEmptiedConfigDriveCdrom(*live, *inactive);
  }
  // Stopped, or running since before `enable`: only the definition of the next start has a drive to change.
  if (!live || !live->configDrive) {
    if (!inactive || !inactive->configDrive) {
      throw Error("has no config drive; run 'virt-configdrive enable' first");
    }
    ConfigDriveMetadata metadata =
        applyEdit(*inactive->configDrive, sealedEdit(request.options, context.paths, *inactive));
    checkDrive(*inactive, metadata, config, context.err);
    setConfigDriveMetadata(domain.get(), metadata, VIR_DOMAIN_AFFECT_CONFIG);
    context.out << request.name << ": config drive metadata updated; the drive is built at its next start"
                << (live ? " (it runs without one since before it was enabled)" : "") << '\n';
    return 0;
  }

  MetadataEdit edit = sealedEdit(request.options, context.paths, *live);
  live->configDrive = applyEdit(*live->configDrive, edit);
  refuseDriveWithoutNetwork(*live, *live->configDrive);
  warnOfOtherCloudInitDrives(*live, context.err);  // the drive's own warnings come with the one build, in run()
  std::optional<ConfigDriveMetadata> persistentMetadata;
  if (inactive && inactive->configDrive) persistentMetadata = applyEdit(*inactive->configDrive, edit);
  return RunningDomainUpdate(domain.get(), request, context, slotEmpty).run(*live, persistentMetadata, config);
}

}  // namespace

int runUpdate(const ParsedArguments& parsed, const CommandContext& context) {
  UpdateRequest request;
  request.name = domainOperand(parsed, "update");
  if (parsed.has("--force") && parsed.has("--no-reattach")) {
    throw UsageError("--force and --no-reattach contradict each other");
  }
  request.force = parsed.has("--force");
  request.noReattach = parsed.has("--no-reattach");
  request.waitSeconds = waitOption(parsed);
  if (request.waitSeconds && request.noReattach) throw UsageError("--wait and --no-reattach contradict each other");
  request.options = readDataOptions(parsed, context.in);
  if (request.options.edit.empty() && !request.options.password) throw UsageError("update needs a data option");
  return forDomain(request.name, [&] { return updateDomain(request, context); });
}

}  // namespace vcd
