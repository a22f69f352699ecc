// The <cd:configdrive> element of a domain's metadata (docs/drive-format.md) ↔ ConfigDriveMetadata.
#include "domain/configdrive_metadata.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

#include "domain/xml_names.h"
#include "iso/drive_inspection.h"
#include "util/base64.h"
#include "util/error.h"
#include "util/json_text.h"

namespace vcd {

namespace {

using json = nlohmann::json;

std::string trim(std::string_view text) {
  const char* space = " \t\r\n";
  std::size_t first = text.find_first_not_of(space);
  if (first == std::string_view::npos) return std::string();
  std::size_t last = text.find_last_not_of(space);
  return std::string(text.substr(first, last - first + 1));
}

[[noreturn]] void reject(std::string_view element, const std::string& why) {
  throw Error("cd:" + std::string(element) + ": " + why);
}

bool hasControlCharacter(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; });
}

// A one-line value: trimmed, non-empty, no control characters (they would break the CloudStack text files).
std::string lineValue(const pugi::xml_node& element) {
  std::string value = trim(element.text().get());
  if (value.empty()) reject(localName(element), "is empty");
  if (hasControlCharacter(value)) reject(localName(element), "must be a single line without control characters");
  return value;
}

void setOnce(std::optional<std::string>& field, const pugi::xml_node& element, std::string value) {
  if (field) reject(localName(element), "appears more than once");
  field = std::move(value);
}

std::string hostnameValue(const pugi::xml_node& element) {
  std::string value = lineValue(element);
  bool valid = value.size() <= 253 && std::all_of(value.begin(), value.end(), [](unsigned char c) {
                 return std::isalnum(c) || c == '-' || c == '.';
               });
  if (!valid) reject("hostname", "'" + value + "' is not a valid host name (letters, digits, '-', '.')");
  return value;
}

std::string osValue(const pugi::xml_node& element) {
  std::string value = lineValue(element);
  if (value != "linux" && value != "windows") reject("os", "'" + value + "' is neither linux nor windows");
  return value;
}

std::string yesNoValue(const pugi::xml_node& element) {
  std::string value = lineValue(element);
  if (value != "yes" && value != "no") reject(localName(element), "'" + value + "' is neither yes nor no");
  return value;
}

std::string userDataValue(const pugi::xml_node& element) {
  std::string encoding = element.attribute("encoding").value();
  const char* text = element.text().get();
  if (encoding.empty()) return text;
  if (encoding != "base64") reject("user-data", "encoding '" + encoding + "' is not base64");
  std::optional<std::string> decoded = decodeBase64(text);
  if (!decoded) reject("user-data", "is not valid base64");
  return std::move(*decoded);
}

json objectValue(const pugi::xml_node& element) {
  std::string why;
  std::optional<json> value = parseJson(element.text().get(), why);
  if (!value) reject(localName(element), why);
  if (!value->is_object()) reject(localName(element), "must be a JSON object");
  return *value;
}

std::vector<std::string> fieldsOf(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> fields;
  for (std::string field; in >> field;) fields.push_back(field);
  return fields;
}

// name attribute, else the key's comment, else key-N with N its position.
PublicKey publicKeyValue(const pugi::xml_node& element, std::size_t position) {
  std::string data = lineValue(element);
  if (fieldsOf(data).size() < 2) reject("public-key", "'" + data + "' is not an OpenSSH public key (type and key)");
  std::string name = trim(element.attribute("name").value());
  return {name.empty() ? defaultKeyName(data, position) : name, data};
}

SealedPassword sealedPasswordValue(const pugi::xml_node& element) {
  std::string scheme = element.attribute("sealed").value();
  if (scheme != "v1" && scheme != "v2") {
    reject("password", scheme.empty() ? "is not sealed (a password is never stored in clear)"
                                      : "sealed='" + scheme + "' is not a known sealing (v1, v2)");
  }
  return {scheme, lineValue(element)};
}

void readChild(const pugi::xml_node& child, ConfigDriveMetadata& metadata) {
  std::string_view name = localName(child);
  if (name == "hostname") {
    setOnce(metadata.hostname, child, hostnameValue(child));
  } else if (name == "instance-id") {
    setOnce(metadata.instanceId, child, lineValue(child));
  } else if (name == "availability-zone") {
    setOnce(metadata.availabilityZone, child, lineValue(child));
  } else if (name == "service-offering") {
    setOnce(metadata.serviceOffering, child, lineValue(child));
  } else if (name == "cloud-identifier") {
    setOnce(metadata.cloudIdentifier, child, lineValue(child));
  } else if (name == "os") {
    setOnce(metadata.os, child, osValue(child));
  } else if (name == "guest-follows") {
    setOnce(metadata.guestFollows, child, yesNoValue(child));
  } else if (name == "password-cleartext") {
    setOnce(metadata.passwordCleartext, child, yesNoValue(child));
  } else if (name == "user-data") {
    setOnce(metadata.userData, child, userDataValue(child));
  } else if (name == "public-key") {
    metadata.publicKeys.push_back(publicKeyValue(child, metadata.publicKeys.size() + 1));
  } else if (name == "vendor-data") {
    if (metadata.vendorData) reject(name, "appears more than once");
    metadata.vendorData = jsonObjectText(objectValue(child), "cd:vendor-data");
  } else if (name == "network-data") {
    if (metadata.networkData) reject(name, "appears more than once");
    json networkData = objectValue(child);
    metadata.networkData = jsonObjectText(networkData, "cd:network-data");
    std::vector<std::string> problems = networkDataProblems(networkData);
    if (!problems.empty()) reject(name, problems.front());
  } else if (name == "password") {
    if (metadata.sealedPassword) reject(name, "appears more than once");
    metadata.sealedPassword = sealedPasswordValue(child);
  } else {
    reject(name, "is not an element of " + std::string(kConfigDriveNamespace));
  }
}

void requireUniqueKeyNames(const std::vector<PublicKey>& keys) {
  std::set<std::string> seen;
  for (const PublicKey& key : keys) {
    if (!seen.insert(key.name).second) reject("public-key", "two keys are named '" + key.name + "'");
  }
}

}  // namespace

std::string defaultKeyName(const std::string& keyLine, std::size_t position) {
  std::vector<std::string> fields = fieldsOf(keyLine);
  if (fields.size() >= 3) {
    std::size_t keyEnd = keyLine.find(fields[1], keyLine.find(fields[0]) + fields[0].size()) + fields[1].size();
    return trim(keyLine.substr(keyEnd));
  }
  return "key-" + std::to_string(position);
}

namespace {

void appendElements(pugi::xml_node parent, const ConfigDriveMetadata& metadata, const std::string& prefix) {
  pugi::xml_node root = parent.append_child((prefix + "configdrive").c_str());
  if (!prefix.empty()) {
    root.append_attribute(("xmlns:" + prefix.substr(0, prefix.size() - 1)).c_str()) = kConfigDriveNamespace;
  }
  auto add = [&](const char* name, const std::string& text) {
    pugi::xml_node child = root.append_child((prefix + name).c_str());
    child.text() = text.c_str();
    return child;
  };
  auto addIfSet = [&](const char* name, const std::optional<std::string>& value) {
    if (value) add(name, *value);
  };
  addIfSet("hostname", metadata.hostname);
  addIfSet("instance-id", metadata.instanceId);
  addIfSet("availability-zone", metadata.availabilityZone);
  addIfSet("service-offering", metadata.serviceOffering);
  addIfSet("cloud-identifier", metadata.cloudIdentifier);
  addIfSet("os", metadata.os);
  addIfSet("guest-follows", metadata.guestFollows);
  addIfSet("password-cleartext", metadata.passwordCleartext);
  if (metadata.userData) add("user-data", encodeBase64(*metadata.userData)).append_attribute("encoding") = "base64";
  for (const PublicKey& key : metadata.publicKeys) {
    add("public-key", key.data).append_attribute("name") = key.name.c_str();
  }
  if (metadata.vendorData) add("vendor-data", metadata.vendorData->text());
  if (metadata.networkData) add("network-data", metadata.networkData->text());
  if (metadata.sealedPassword) {
    add("password", metadata.sealedPassword->text).append_attribute("sealed") = metadata.sealedPassword->scheme.c_str();
  }
}

}  // namespace

void appendConfigDriveElement(pugi::xml_node parent, const ConfigDriveMetadata& metadata) {
  appendElements(parent, metadata, "cd:");
}

std::string configDriveElementForLibvirt(const ConfigDriveMetadata& metadata) {
  pugi::xml_document doc;
  appendElements(doc, metadata, "");
  std::ostringstream out;
  doc.first_child().print(out, "", pugi::format_raw);
  return out.str();
}

ConfigDriveMetadata revalidate(const ConfigDriveMetadata& metadata) {
  pugi::xml_document doc;
  appendConfigDriveElement(doc, metadata);
  return parseConfigDriveMetadata(doc.first_child());
}

ConfigDriveMetadata parseConfigDriveMetadata(const pugi::xml_node& element) {
  ConfigDriveMetadata metadata;
  for (const pugi::xml_node& child : element.children()) {
    if (child.type() != pugi::node_element) continue;
    if (namespaceUri(child) != kConfigDriveNamespace) {
      throw Error("cd:configdrive: element <" + std::string(child.name()) + "> is not in namespace " +
                  kConfigDriveNamespace);
    }
    readChild(child, metadata);
  }
  requireUniqueKeyNames(metadata.publicKeys);
  return metadata;
}

}  // namespace vcd
