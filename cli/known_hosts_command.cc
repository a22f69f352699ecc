// `virt-configdrive known-hosts DOMAIN`: known_hosts lines for the running guest, its SSH host keys read through the
// guest agent, under its hostname and the addresses libvirt knows for it (from the agent, else the network's DHCP
// leases), so that a first SSH connection checks the key instead of trusting whatever it is shown.
#include <algorithm>
#include <string>
#include <vector>

#include "cli/command_line.h"
#include "cli/domain_command.h"
#include "cli/guest_report.h"
#include "util/error.h"
#include "util/text.h"
#include "virt/guest_agent.h"
#include "virt/libvirt_session.h"

namespace vcd {
namespace {

// The guest's addresses a client would connect to: neither loopback nor IPv6 link-local (which needs an interface
// to be reached). Empty when libvirt knows none from that source.
std::vector<std::string> guestAddresses(virDomainPtr domain, AddressSource source) {
  std::vector<std::string> addresses;
  for (const std::string& address : interfaceAddresses(domain, source)) {
    bool loopback = address.rfind("127.", 0) == 0 || address == "::1";
    bool linkLocal = address.rfind("fe80:", 0) == 0;
    if (!address.empty() && !loopback && !linkLocal &&
        std::find(addresses.begin(), addresses.end(), address) == addresses.end()) {
      addresses.push_back(address);
    }
  }
  return addresses;
}

}  // namespace

int runKnownHosts(const ParsedArguments& parsed, const CommandContext& context) {
  std::string name = domainOperand(parsed, "known-hosts");
  return withGuestAgent(context.uri, name, context.err, [&](virDomainPtr domain, const GuestAgent& agent) {
    std::vector<GuestHostKey> keys = guestHostKeys(agent);
    if (keys.empty()) throw Error("the guest has no SSH host key in /etc/ssh (has its first boot ended?)");
    std::vector<std::string> names;
    if (std::optional<std::string> hostname = guestHostname(agent); hostname && !hostname->empty()) {
      names.push_back(*hostname);
    }
    std::vector<std::string> addresses = guestAddresses(domain, AddressSource::GuestAgent);
    if (addresses.empty()) addresses = guestAddresses(domain, AddressSource::DhcpLease);
    names.insert(names.end(), addresses.begin(), addresses.end());
    if (names.empty()) throw Error("the guest has neither a hostname nor an address libvirt knows");
    const std::string hosts = joined(names, ",");
    for (const GuestHostKey& key : keys) {
      // "TYPE BASE64 COMMENT" in the guest: known_hosts takes the type and the key, after the hosts.
      std::string typeAndKey = key.line.substr(0, key.line.find(' ', key.line.find(' ') + 1));
      context.out << hosts << ' ' << typeAndKey << '\n';
    }
    return 0;
  });
}

}  // namespace vcd
