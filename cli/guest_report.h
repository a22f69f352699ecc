// What a running guest reports of itself through its QEMU guest agent, read as files: cloud-init's state, its
// hostname and instance id, its SSH host keys, and whether the guest follower applied the drive placed now. Shared by
// status, known-hosts and update --wait.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/command_line.h"
#include "domain/domain_definition.h"
#include "host/host_config.h"
#include "virt/guest_agent.h"

namespace vcd {

// How long one agent command may take: a TCG guest under load answers in seconds.
inline constexpr int kAgentTimeoutSeconds = 10;

// The commands that ask a running guest (status, known-hosts): the domain named, looked up, and body given its
// agent. A guest that cannot be asked (GuestAgentUnreachable) gets one line on err and kExitNoGuestAgent, which the
// exit status tells apart from a failure; other errors are thrown, named after the domain.
int withGuestAgent(const std::string& uri, const std::string& name, std::ostream& err,
                   const std::function<int(virDomainPtr, const GuestAgent&)>& body);

// cloud-init's state from its status.json and result.json (what `cloud-init status --long` reads; nullopt: the file
// is missing): {"status": "not started" | "running" | "error" | "done", "datasource", "errors": ["stage: …"],
// "recoverable_errors": {stage: …}}.
nlohmann::json cloudInitState(const std::optional<nlohmann::json>& status, const std::optional<nlohmann::json>& result);

// An OpenSSH public key line's fingerprint as ssh-keygen -l prints it (SHA256:<unpadded base64>); nullopt when the
// line is not "TYPE BASE64 …".
std::optional<std::string> sshFingerprint(const std::string& publicKeyLine);

struct GuestHostKey {
  std::string type;         // ed25519, ecdsa, rsa, dsa: the file's
  std::string line;         // "ssh-ed25519 AAAA… root@web1", as the guest has it
  std::string fingerprint;  // sshFingerprint(line)
};

// The guest's SSH host public keys (/etc/ssh/ssh_host_{ed25519,ecdsa,rsa,dsa}_key.pub), those it has.
std::vector<GuestHostKey> guestHostKeys(const GuestAgent& agent);

// The guest's hostname (the kernel's), nullopt when it cannot be read.
std::optional<std::string> guestHostname(const GuestAgent& agent);

// The guest's whole report for status: {"cloud_init", "instance_id", "hostname", "drive": {"applied": true | false |
// null, "why"}, "ssh_host_keys": [{"type", "fingerprint", "key"}]}.
nlohmann::json guestReport(const GuestAgent& agent, const DomainDefinition& domain, const HostConfig& config,
                           const HostPaths& paths);

// What the guest follower's record (guest/follow_drive.py) holds once the guest has applied the domain's drive: the
// instance id, the SSH keys, the hostname and the password hash. Worked out once (the hash costs SHA-512 crypt's
// rounds), then compared with the guest's record as often as asked (update --wait).
class AppliedDrive {
 public:
  AppliedDrive(const DomainDefinition& domain, const HostConfig& config, const HostPaths& paths);

  // {"applied": true | false | null (the guest does not follow its drive), "why": null | what differs}.
  nlohmann::json in(const GuestAgent& agent) const;

 private:
  std::optional<std::string> unfollowed_;  // why the guest applies nothing of this drive
  std::string instanceId_;
  std::vector<std::string> keys_;  // trimmed, distinct, sorted
  nlohmann::json hostname_;        // null when the drive names none
  std::optional<std::string> passwordSha256_;
};

// Asks, once a second, until the guest reports through its agent that it applied the drive of the domain's live
// definition, and returns the seconds that took. Without nextStart (update --wait), a guest that cannot answer fails
// at once. With it (enable --wait, whose drive comes at the domain's next start), the drive of that metadata is
// awaited: the domain may be stopped, run with another drive or none, or be booting, and the wait goes on through its
// next start. Throws Error after `seconds` naming what it last saw, and at once when the guest does not follow its
// drive.
double waitUntilApplied(virDomainPtr domain, const HostConfig& config, const HostPaths& paths, int seconds,
                        const std::optional<ConfigDriveMetadata>& nextStart = std::nullopt);

// --wait[=SECONDS] of update and enable: nullopt when absent, kDefaultWaitSeconds when given no SECONDS; UsageError
// for anything but 1 to 99999.
std::optional<int> waitOption(const ParsedArguments& parsed);

// How long --wait waits when given no SECONDS: long enough for a guest under TCG, the slowest to apply a change.
inline constexpr int kDefaultWaitSeconds = 120;

}  // namespace vcd
