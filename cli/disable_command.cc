// `virt-configdrive disable DOMAIN`: the CD-ROM and the metadata out of the persistent definition, and the ISO
// removed when the domain is not running.
#include "cli/domain_command.h"
#include "domain/domain_editor.h"
#include "host/domain_lock.h"
#include "host/iso_placement.h"
#include "host/pool_directory.h"

namespace vcd {

int runDisable(const ParsedArguments& parsed, const CommandContext& context) {
  std::string name = domainOperand(parsed, "disable");
  return forDomain(name, [&] {
    LibvirtSession libvirt(context.uri);
    DomainHandle domain = libvirt.lookupDomain(name);
    std::string xml = domainXml(domain.get(), VIR_DOMAIN_XML_INACTIVE);
    DomainDefinition definition = parseDomainXml(xml);
    // Read before anything changes: a config.json that does not parse fails the command with nothing done.
    HostConfig config = loadHostConfig(context.paths.configFile);
    if (definition.configDrive || configDriveCdrom(definition)) {
      libvirt.defineDomain(disableConfigDrive(xml), "defining the domain without its config drive");
      context.out << name << ": config drive disabled\n";
      context.log.info(name + ": config drive disabled");
    } else {
      context.out << name << ": has no config drive\n";
    }
    if (isRunning(domain.get())) {
      context.out << name << ": running: its drive stays attached until it stops\n";
      return 0;
    }
    PoolDirectory pool(resolvePoolPath(config, context.paths.storageDir), context.paths.stateDir);
    DomainLock lock = DomainLock::acquire(pool, definition.uuid);
    if (removeIso(pool, definition.uuid))
      context.out << name << ": removed " << pool.isoPath(definition.uuid).string() << '\n';
    return 0;
  });
}

}  // namespace vcd
