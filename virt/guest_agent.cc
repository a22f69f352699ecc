#include "virt/guest_agent.h"

#include <libvirt/libvirt-qemu.h>
#include <libvirt/virterror.h>

#include <nlohmann/json.hpp>

#include <cstdint>

#include "domain/domain_definition.h"
#include "util/base64.h"
#include "virt/libvirt_session.h"

namespace vcd {
namespace {

using nlohmann::json;

// What a guest-file-read asks for at once: the agent's own limit is 48 MiB; a config drive's record is a few KiB.
constexpr std::size_t kReadChunk = 64 * 1024;

// libvirt's reason for not reaching the agent, as the operator can act on it; nullopt for any other error.
std::optional<std::string> unreachableReason() {
  const virError* error = virGetLastError();
  if (error == nullptr) return std::nullopt;
  switch (error->code) {
    case VIR_ERR_OPERATION_INVALID:
      return "the domain is not running: its guest agent cannot be asked";
    case VIR_ERR_ARGUMENT_UNSUPPORTED:
      return std::string("the domain has no guest agent channel (") + std::string(kGuestAgentChannel) +
             "; virt-configdrive enable adds one while it is stopped)";
    case VIR_ERR_AGENT_UNRESPONSIVE:
    case VIR_ERR_AGENT_UNSYNCED:
    case VIR_ERR_OPERATION_TIMEOUT:
      return "the guest agent does not answer (is qemu-guest-agent installed and running in the guest?): " +
             libvirtMessage();
    default:
      break;
  }
  // An agent answers a command it is configured to refuse (qemu-ga's block-rpcs or allow-rpcs) with
  // "Command NAME has been disabled", which libvirt passes on as an internal error holding that text.
  std::string message = libvirtMessage();
  if (message.find("has been disabled") != std::string::npos) {
    return "the guest agent refuses a command this tool needs (guest-ping, guest-file-open, -read, -close), as "
           "qemu-ga's block-rpcs or allow-rpcs in the guest configure it: " +
           message;
  }
  return std::nullopt;
}

}  // namespace

GuestAgent::GuestAgent(virDomainPtr domain, int timeoutSeconds) : domain_(domain), timeoutSeconds_(timeoutSeconds) {
  command(R"({"execute":"guest-ping"})");
}

std::string GuestAgent::command(const std::string& request) const {
  char* reply = virDomainQemuAgentCommand(domain_, request.c_str(), timeoutSeconds_, 0);
  if (reply == nullptr) {
    if (std::optional<std::string> reason = unreachableReason()) throw GuestAgentUnreachable(*reason);
    throw Error(libvirtMessage());
  }
  return takeLibvirtString(reply, "the guest agent's reply");
}

std::optional<std::string> GuestAgent::readFile(const std::string& path, std::size_t maxBytes) const {
  std::int64_t handle = 0;
  try {
    handle = json::parse(
                 command(json{{"execute", "guest-file-open"}, {"arguments", {{"path", path}, {"mode", "r"}}}}.dump()))
                 .at("return")
                 .get<std::int64_t>();
  } catch (const GuestAgentUnreachable&) {
    throw;
  } catch (const Error& error) {
    std::string why = error.what();
    if (why.find("No such file or directory") != std::string::npos) return std::nullopt;
    throw Error(path + " in the guest: " + why);
  }
  std::string contents;
  try {
    for (;;) {
      json read = json::parse(command(json{{"execute", "guest-file-read"},
                                           {"arguments", {{"handle", handle}, {"count", kReadChunk}}}}
                                          .dump()))
                      .at("return");
      std::optional<std::string> bytes = decodeBase64(read.at("buf-b64").get<std::string>());
      if (!bytes) throw Error("the guest agent's reply is not base64");
      contents += *bytes;
      if (contents.size() > maxBytes) throw Error("larger than " + std::to_string(maxBytes) + " bytes");
      if (read.at("eof").get<bool>() || bytes->empty()) break;
    }
  } catch (const GuestAgentUnreachable&) {
    throw;
  } catch (const std::exception& error) {
    command(json{{"execute", "guest-file-close"}, {"arguments", {{"handle", handle}}}}.dump());
    throw Error(path + " in the guest: " + error.what());
  }
  command(json{{"execute", "guest-file-close"}, {"arguments", {{"handle", handle}}}}.dump());
  return contents;
}

}  // namespace vcd
