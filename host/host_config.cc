// This host's settings: /etc/virt-configdrive/config.json and the pool path it leads to.
#include "host/host_config.h"

#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include <algorithm>
#include <cctype>

#include "util/error.h"
#include "util/file_io.h"
#include "util/json_text.h"

namespace vcd {

namespace {

using json = nlohmann::json;

class ConfigReader {
 public:
  ConfigReader(const json& object, std::string source) : object_(object), source_(std::move(source)) {}

  std::string string(const char* key, const std::string& fallback) const {
    const json* value = find(key);
    if (value == nullptr) return fallback;
    if (!value->is_string()) fail(key, "must be a string");
    return value->get<std::string>();
  }

  bool boolean(const char* key, bool fallback) const {
    const json* value = find(key);
    if (value == nullptr) return fallback;
    if (!value->is_boolean()) fail(key, "must be true or false");
    return value->get<bool>();
  }

  std::size_t positive(const char* key, std::size_t fallback) const {
    const json* value = find(key);
    if (value == nullptr) return fallback;
    if (!value->is_number_unsigned() || value->get<std::size_t>() == 0) fail(key, "must be a positive integer");
    return value->get<std::size_t>();
  }

  [[noreturn]] void fail(const std::string& key, const std::string& why) const {
    throw Error(source_ + ": \"" + key + "\" " + why);
  }

 private:
  const json* find(const char* key) const {
    auto found = object_.find(key);
    return found == object_.end() ? nullptr : &*found;
  }

  const json& object_;
  std::string source_;
};

void rejectUnknownKeys(const json& object, const std::string& source) {
  const std::vector<std::string>& known = hostConfigKeys();
  for (const auto& [key, value] : object.items()) {
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      throw Error(source + ": unknown key \"" + key + "\"");
    }
  }
}

// The label becomes the ISO volume id: at most 32 characters that every reader accepts.
bool isValidLabel(const std::string& label) {
  return !label.empty() && label.size() <= 32 && std::all_of(label.begin(), label.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '_';
  });
}

bool isValidPoolName(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos;
}

}  // namespace

const std::vector<std::string>& hostConfigKeys() {
  static const std::vector<std::string> keys = {"pool",
                                                "pool_path",
                                                "label",
                                                "delete_on_release",
                                                "network_data",
                                                "max_user_data_bytes",
                                                "availability_zone",
                                                "cloud_identifier",
                                                "password_cleartext"};
  return keys;
}

HostConfig parseHostConfig(std::string_view text, const std::string& source) {
  std::string why;
  std::optional<json> parsed = parseJson(text, why);
  if (!parsed) throw Error(source + ": " + why);
  const json& object = *parsed;
  if (!object.is_object()) throw Error(source + ": must be a JSON object");
  rejectUnknownKeys(object, source);
  ConfigReader reader(object, source);

  HostConfig config;
  config.pool = reader.string("pool", config.pool);
  if (!isValidPoolName(config.pool)) reader.fail("pool", "must be a plain pool name");
  config.poolPath = reader.string("pool_path", config.poolPath);
  if (!config.poolPath.is_absolute()) reader.fail("pool_path", "must be an absolute path");
  if (hasDotComponents(config.poolPath)) reader.fail("pool_path", "must not hold '.' or '..' components");
  config.deleteOnRelease = reader.boolean("delete_on_release", config.deleteOnRelease);
  config.drive.label = reader.string("label", config.drive.label);
  if (!isValidLabel(config.drive.label)) reader.fail("label", "must be 1-32 letters, digits, '-' or '_'");
  config.drive.availabilityZone = reader.string("availability_zone", "");
  config.drive.cloudIdentifier = reader.string("cloud_identifier", "");
  config.drive.maxUserDataBytes = reader.positive("max_user_data_bytes", config.drive.maxUserDataBytes);
  if (object.contains("password_cleartext")) {
    config.drive.passwordCleartext = reader.boolean("password_cleartext", false);
  }
  std::string networkData = reader.string("network_data", "none");
  if (networkData == "dhcp") {
    config.drive.networkData = NetworkDataMode::Dhcp;
  } else if (networkData != "none") {
    reader.fail("network_data", "must be \"none\" or \"dhcp\"");
  }
  return config;
}

HostConfig loadHostConfig(const std::filesystem::path& file) {
  std::optional<std::string> text = readFileIfExists(file, 1u << 20);
  return text ? parseHostConfig(*text, file.string()) : HostConfig{};
}

std::filesystem::path resolvePoolPath(const HostConfig& config, const std::filesystem::path& storageDir) {
  std::filesystem::path poolXml = storageDir / (config.pool + ".xml");
  std::optional<std::string> text = readFileIfExists(poolXml, 1u << 20);
  if (!text) return config.poolPath;
  pugi::xml_document doc;
  pugi::xml_parse_result parsed = doc.load_buffer(text->data(), text->size());
  if (!parsed) throw Error(poolXml.string() + ": malformed XML: " + parsed.description());
  std::filesystem::path path = doc.child("pool").child("target").child("path").text().get();
  if (!path.is_absolute()) throw Error(poolXml.string() + ": <target><path> is not an absolute path");
  return path.lexically_normal();
}

}  // namespace vcd
