// `virt-configdrive enable DOMAIN [data options] [--bus BUS] [--wait[=SECONDS]]`: metadata and the config-drive
// CD-ROM into the persistent definition, the pool created when missing, the guest agent's channel into a stopped
// domain that has none, and with --wait the guest's word, after the domain's next start, that it applied the drive.
#include <algorithm>

#include "cli/domain_command.h"
#include "cli/guest_report.h"
#include "domain/domain_editor.h"
#include "domain/metadata_edit.h"
#include "host/pool_directory.h"
#include "util/error.h"

namespace vcd {

int runEnable(const ParsedArguments& parsed, const CommandContext& context) {
  std::string name = domainOperand(parsed, "enable");
  DataOptions options = readDataOptions(parsed, context.in);
  std::string bus = parsed.value("--bus");  // one of kCdromBuses: the parser takes only the reference's choices
  std::optional<int> waitSeconds = waitOption(parsed);
  return forDomain(name, [&] {
    LibvirtSession libvirt(context.uri);
    DomainHandle domain = libvirt.lookupDomain(name);
    std::string xml = domainXml(domain.get(), VIR_DOMAIN_XML_INACTIVE);
    DomainDefinition definition = parseDomainXml(xml);
    ConfigDriveMetadata metadata = applyEdit(definition.configDrive.value_or(ConfigDriveMetadata{}),
                                             sealedEdit(options, context.paths, definition));
    HostConfig config = loadHostConfig(context.paths.configFile);
    checkDrive(definition, metadata, config, context.err);
    if (!bus.empty()) checkCdromBus(definition, bus);  // before the pool is made

    PoolDirectory pool(libvirt.ensureDirPool(config.pool, config.poolPath), context.paths.stateDir);
    EnabledDefinition enabled = enableConfigDrive(xml, metadata, pool.isoPath(definition.uuid).string(), bus);
    // The channel is a device of its own, which a running domain would get only at its next start, unasked: it
    // is added while the domain is stopped, as its config drive's CD-ROM would be.
    const bool running = isRunning(domain.get());
    const bool addAgentChannel = !definition.guestAgentChannel && !running;
    if (waitSeconds && !definition.guestAgentChannel && running) {
      throw Error(
          "--wait: the domain has no guest agent channel, which enable adds only while it is stopped; "
          "nothing was changed");
    }
    if (addAgentChannel) enabled.xml = withGuestAgentChannel(enabled.xml);
    DomainHandle defined = libvirt.defineDomain(enabled.xml, "defining the domain with its config drive");

    if (enabled.addedEmptyCdrom) context.out << name << ": added an empty first CD-ROM\n";
    context.out << name << ": config drive enabled on CD-ROM " << enabled.cdrom.target << " (" << enabled.cdrom.bus
                << "), " << enabled.cdrom.sourceFile << '\n';
    if (addAgentChannel) {
      context.out << name << ": added a guest agent channel (" << kGuestAgentChannel
                  << "): the host reaches a guest that runs qemu-guest-agent through it\n";
    }
    if (running) {
      context.out << name << ": running: the config drive comes at its next start (the CD-ROM is added to the "
                  << "persistent definition only)\n";
      if (!definition.guestAgentChannel) {
        context.out << name << ": no guest agent channel: enable adds one while the domain is stopped\n";
      }
    }
    context.log.info(name + ": config drive enabled on " + enabled.cdrom.target);
    if (waitSeconds) {
      context.out << name << ": waiting until its guest applies the drive, after the domain's next start\n";
      context.out.flush();
      // As libvirt keeps it, which is how the started domain's live definition will read.
      std::optional<ConfigDriveMetadata> kept =
          parseDomainXml(domainXml(defined.get(), VIR_DOMAIN_XML_INACTIVE)).configDrive;
      double waited = waitUntilApplied(domain.get(), config, context.paths, *waitSeconds, kept);
      context.out << name << ": the guest applied the drive (" << static_cast<int>(waited + 0.5) << " s)\n";
    }
    return 0;
  });
}

}  // namespace vcd
