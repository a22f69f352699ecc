#include "cli/guest_report.h"

#include <algorithm>
#include <chrono>
#include <set>
#include <sstream>
#include <thread>

#include "cli/domain_command.h"
#include "domain/drive_content_builder.h"
#include "host/action_log.h"
#include "host/domain_drive.h"
#include "iso/cloud_init_password.h"
#include "util/base64.h"
#include "util/digest.h"
#include "util/error.h"
#include "util/text.h"
#include "virt/libvirt_session.h"

namespace vcd {
namespace {

using nlohmann::json;

// No record the guest keeps for us is near this; anything bigger is not read.
constexpr std::size_t kMaxGuestFile = 1024 * 1024;
const char* const kHostKeyTypes[] = {"ed25519", "ecdsa", "rsa", "dsa"};

std::optional<json> guestJson(const GuestAgent& agent, const std::string& path) {
  std::optional<std::string> text = agent.readFile(path, kMaxGuestFile);
  if (!text) return std::nullopt;
  json value = json::parse(*text, nullptr, false);
  if (value.is_discarded()) throw Error(path + " in the guest is not JSON");
  return value;
}

// cloud-init records an error as a string; anything else is shown as its JSON.
std::string asText(const json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

json cloudInitState(const std::optional<json>& status, const std::optional<json>& result) {
  json state = {{"status", "not started"},
                {"datasource", nullptr},
                {"errors", json::array()},
                {"recoverable_errors", json::object()}};
  if (!status) return state;
  const json v1 = status->value("v1", json::object());
  if (v1.contains("datasource") && v1["datasource"].is_string()) state["datasource"] = v1["datasource"];
  std::set<std::string> staged;  // result.json repeats the stages' errors: each is shown once, with its stage
  for (const auto& [stage, record] : v1.items()) {
    if (!record.is_object()) continue;
    for (const json& error : record.value("errors", json::array())) {
      state["errors"].push_back(stage + ": " + asText(error));
      staged.insert(asText(error));
    }
    if (record.contains("recoverable_errors") && !record["recoverable_errors"].empty()) {
      state["recoverable_errors"][stage] = record["recoverable_errors"];
    }
  }
  if (result) {
    for (const json& error : result->value("v1", json::object()).value("errors", json::array())) {
      if (!staged.count(asText(error))) state["errors"].push_back("result: " + asText(error));
    }
  }
  if (v1.contains("stage") && !v1["stage"].is_null()) {
    state["status"] = "running";
  } else if (!state["errors"].empty()) {
    state["status"] = "error";
  } else {
    state["status"] = result ? "done" : "running";
  }
  return state;
}

std::optional<std::string> sshFingerprint(const std::string& line) {
  std::istringstream fields(line);
  std::string type, blob;
  if (!(fields >> type >> blob)) return std::nullopt;
  std::optional<std::string> bytes = decodeBase64(blob);
  if (!bytes) return std::nullopt;
  std::string encoded = encodeBase64(sha256Digest(*bytes));
  encoded.erase(std::find(encoded.begin(), encoded.end(), '='), encoded.end());
  return "SHA256:" + encoded;
}

std::vector<GuestHostKey> guestHostKeys(const GuestAgent& agent) {
  std::vector<GuestHostKey> keys;
  for (const char* type : kHostKeyTypes) {
    std::string path = std::string("/etc/ssh/ssh_host_") + type + "_key.pub";
    std::optional<std::string> line = agent.readFile(path, kMaxGuestFile);
    std::optional<std::string> print = line ? sshFingerprint(*line) : std::nullopt;
    if (print) keys.push_back({type, trimmed(*line), *print});
  }
  return keys;
}

std::optional<std::string> guestHostname(const GuestAgent& agent) {
  std::optional<std::string> hostname = agent.readFile("/proc/sys/kernel/hostname", kMaxGuestFile);
  if (!hostname) return std::nullopt;
  return trimmed(*hostname);
}

AppliedDrive::AppliedDrive(const DomainDefinition& domain, const HostConfig& config, const HostPaths& paths) {
  if (!domain.configDrive) {
    unfollowed_ = "the domain has no config drive";
    return;
  }
  DriveContent content = driveContentFor(domain, *domain.configDrive, config.drive);
  if (content.windows || !content.guestFollows) {
    unfollowed_ = "the guest does not follow its drive (--guest-follows no, or Windows)";
    return;
  }
  std::vector<std::string> warnings;
  giveSealedPassword(content, domain, paths, warnings);
  instanceId_ = content.instanceId;
  for (const PublicKey& key : content.publicKeys) {
    std::string line = trimmed(key.data);
    if (std::find(keys_.begin(), keys_.end(), line) == keys_.end()) keys_.push_back(line);
  }
  std::sort(keys_.begin(), keys_.end());
  hostname_ = content.hostname.empty() ? json(nullptr) : json(content.hostname);
  if (content.password && !content.password->empty()) passwordSha256_ = sha256Hex(passwordCryptHash(content));
}

json AppliedDrive::in(const GuestAgent& agent) const {
  if (unfollowed_) return {{"applied", nullptr}, {"why", *unfollowed_}};
  std::optional<json> record = guestJson(agent, "/var/lib/cloud/virt-configdrive/applied.json");
  if (!record) return {{"applied", false}, {"why", "the guest has no record of applying a drive"}};
  std::vector<std::string> recordedKeys = record->value("keys", std::vector<std::string>{});
  std::sort(recordedKeys.begin(), recordedKeys.end());
  std::vector<std::string> differs;
  if (record->value("instance_id", std::string()) != instanceId_) differs.push_back("instance id");
  if (recordedKeys != keys_) differs.push_back("SSH keys");
  if (record->value("hostname", json(nullptr)) != hostname_) differs.push_back("hostname");
  if (passwordSha256_ && record->value("password_sha256", std::string()) != *passwordSha256_) {
    differs.push_back("password");
  }
  if (differs.empty()) return {{"applied", true}, {"why", nullptr}};
  return {{"applied", false}, {"why", "the guest last applied another " + joined(differs, ", ")}};
}

int withGuestAgent(const std::string& uri, const std::string& name, std::ostream& err,
                   const std::function<int(virDomainPtr, const GuestAgent&)>& body) {
  return forDomain(name, [&] {
    LibvirtSession libvirt(uri);
    DomainHandle domain = libvirt.lookupDomain(name);
    try {
      GuestAgent agent(domain.get(), kAgentTimeoutSeconds);
      return body(domain.get(), agent);
    } catch (const GuestAgentUnreachable& error) {
      err << problemLine(name + ": " + error.what()) << '\n';
      return kExitNoGuestAgent;
    }
  });
}

json guestReport(const GuestAgent& agent, const DomainDefinition& domain, const HostConfig& config,
                 const HostPaths& paths) {
  json report;
  report["cloud_init"] =
      cloudInitState(guestJson(agent, "/run/cloud-init/status.json"), guestJson(agent, "/run/cloud-init/result.json"));
  std::optional<std::string> instance = agent.readFile("/var/lib/cloud/data/instance-id", kMaxGuestFile);
  report["instance_id"] = instance ? json(trimmed(*instance)) : json(nullptr);
  std::optional<std::string> hostname = guestHostname(agent);
  report["hostname"] = hostname ? json(*hostname) : json(nullptr);
  report["drive"] = AppliedDrive(domain, config, paths).in(agent);
  report["ssh_host_keys"] = json::array();
  for (const GuestHostKey& key : guestHostKeys(agent)) {
    report["ssh_host_keys"].push_back({{"type", key.type}, {"fingerprint", key.fingerprint}, {"key", key.line}});
  }
  return report;
}

double waitUntilApplied(virDomainPtr domain, const HostConfig& config, const HostPaths& paths, int seconds,
                        const std::optional<ConfigDriveMetadata>& nextStart) {
  const auto started = std::chrono::steady_clock::now();
  const auto deadline = started + std::chrono::seconds(seconds);
  std::optional<AppliedDrive> wanted;
  unsigned int wantedRun = 0;  // the domain's id when `wanted` was worked out: a new start brings its own metadata
  auto lastWord = [&]() -> std::optional<std::string> {
    if (!isRunning(domain)) {
      if (!nextStart) throw Error("--wait: the domain is not running");
      return "the domain is not running: its drive comes at its next start";
    }
    const unsigned int run = domainId(domain);
    if (!wanted || run != wantedRun) {
      DomainDefinition live = parseDomainXml(domainXml(domain, 0));
      if (!live.configDrive) return "the domain runs without its config drive: it comes at its next start";
      if (nextStart && live.configDrive != nextStart) {
        return "the domain runs with its previous drive: the new one comes at its next start";
      }
      wanted.emplace(live, config, paths);
      wantedRun = run;
    }
    json applied;
    try {
      applied = wanted->in(GuestAgent(domain, kAgentTimeoutSeconds));
    } catch (const GuestAgentUnreachable& error) {
      if (!nextStart) throw;
      return std::string(error.what());
    }
    if (applied["applied"].is_null()) {
      throw Error("--wait: " + applied["why"].get<std::string>() + ", so it reports nothing to wait for");
    }
    if (applied["applied"].get<bool>()) return std::nullopt;
    return applied["why"].get<std::string>();
  };
  for (;;) {
    std::optional<std::string> why = lastWord();
    std::chrono::duration<double> waited = std::chrono::steady_clock::now() - started;
    if (!why) return waited.count();
    if (std::chrono::steady_clock::now() >= deadline) {
      throw Error("--wait: the guest has not applied the new drive within " + std::to_string(seconds) + " s: " + *why);
    }
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
}

std::optional<int> waitOption(const ParsedArguments& parsed) {
  if (!parsed.values.count("--wait")) return std::nullopt;
  std::string wait = parsed.value("--wait");
  if (wait.empty()) return kDefaultWaitSeconds;
  if (wait.size() > 5 || wait.find_first_not_of("0123456789") != std::string::npos || std::stoi(wait) < 1) {
    throw UsageError("--wait takes a number of seconds from 1 to 99999, not '" + wait + "'");
  }
  return std::stoi(wait);
}

}  // namespace vcd
