// The CLI's data options → a MetadataEdit, reading the files and stdin they name.
#include "cli/data_options.h"

#include <sstream>

#include "iso/iso_writer.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/json_text.h"
#include "util/text.h"
#include "util/uuid.h"

namespace vcd {

namespace {

using json = nlohmann::json;

std::optional<std::string> optionalValue(const ParsedArguments& args, const std::string& option) {
  std::string value = args.value(option);
  if (value.empty() && args.values.count(option)) throw UsageError(option + " needs a non-empty value");
  return value.empty() ? std::nullopt : std::optional<std::string>(value);
}

void refuseBoth(const ParsedArguments& args, const std::string& a, const std::string& b) {
  bool hasA = args.values.count(a) || args.has(a);
  bool hasB = args.values.count(b) || args.has(b);
  if (hasA && hasB) throw UsageError(a + " and " + b + " contradict each other");
}

// An argument that is a key rather than a file: "TYPE BASE64 [comment]".
bool looksLikeKey(const std::string& value) { return value.find(' ') != std::string::npos; }

void addKeys(const std::string& value, std::vector<std::string>& keys) {
  if (looksLikeKey(value)) {
    keys.push_back(value);
    return;
  }
  std::istringstream lines(readFile(value, 1u << 20));
  std::size_t before = keys.size();
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos || line[line.find_first_not_of(" \t")] == '#') continue;
    keys.push_back(line);
  }
  if (keys.size() == before) throw Error(value + ": holds no public key");
}

json jsonObjectFile(const std::string& file) {
  std::string why;
  std::optional<json> value = parseJson(readFile(file, 1u << 20), why);
  if (!value) throw Error(file + ": " + why);
  if (!value->is_object()) throw Error(file + ": must hold a JSON object");
  return *value;
}

std::string passwordFrom(std::istream& in) {
  SecretString read(readStream(in, 4096, "--password-stdin"));
  std::string password = read.value();
  if (!password.empty() && password.back() == '\n') password.pop_back();
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (password.empty()) throw Error("--password-stdin: stdin held no password");
  if (password.find('\n') != std::string::npos) throw Error("--password-stdin: the password must be one line");
  if (!isValidUtf8(password)) throw Error("--password-stdin: the password is not valid UTF-8");
  // crypt(3), which makes the guest's hash, would take only what comes before a NUL.
  if (password.find('\0') != std::string::npos) throw Error("--password-stdin: the password holds a NUL byte");
  return password;
}

}  // namespace

DataOptions readDataOptions(const ParsedArguments& args, std::istream& in) {
  refuseBoth(args, "--user-data", "--clear-user-data");
  refuseBoth(args, "--password-stdin", "--clear-password");
  refuseBoth(args, "--instance-id", "--new-instance");
  if (args.value("--user-data") == "-" && args.has("--password-stdin")) {
    throw UsageError("--user-data - and --password-stdin cannot both read stdin");
  }
  DataOptions options;
  MetadataEdit& edit = options.edit;
  edit.hostname = optionalValue(args, "--hostname");
  edit.instanceId =
      args.has("--new-instance") ? std::optional<std::string>(randomUuid()) : optionalValue(args, "--instance-id");
  edit.availabilityZone = optionalValue(args, "--availability-zone");
  edit.serviceOffering = optionalValue(args, "--service-offering");
  edit.os = optionalValue(args, "--os");
  edit.guestFollows = optionalValue(args, "--guest-follows");
  edit.passwordCleartext = optionalValue(args, "--password-cleartext");
  if (std::optional<std::string> file = optionalValue(args, "--user-data")) {
    edit.userData = *file == "-" ? readStream(in, kMaxIsoBytes, "--user-data -") : readFile(*file, kMaxIsoBytes);
  }
  auto keys = args.values.find("--ssh-key");
  if (keys != args.values.end()) {
    for (const std::string& value : keys->second) addKeys(value, edit.sshKeys);
  }
  if (std::optional<std::string> file = optionalValue(args, "--vendor-data"))
    edit.vendorData = jsonObjectText(jsonObjectFile(*file), *file);
  if (std::optional<std::string> file = optionalValue(args, "--network-data")) {
    edit.networkData = jsonObjectText(jsonObjectFile(*file), *file);
  }
  edit.clearUserData = args.has("--clear-user-data");
  edit.clearSshKeys = args.has("--clear-ssh-keys");
  edit.clearPassword = args.has("--clear-password");
  if (args.has("--password-stdin")) options.password = passwordFrom(in);
  return options;
}

}  // namespace vcd
