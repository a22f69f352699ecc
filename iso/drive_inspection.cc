// Judges a config drive: what would make a reader reject it, and what a reader would ignore.
#include "iso/drive_inspection.h"

#include <set>

#include "iso/drive_layout.h"

namespace vcd {

namespace {

using json = nlohmann::json;

const std::string kOpenstack = "/openstack/latest/";
const std::string kMetaData = kOpenstack + "meta_data.json";

const IsoFileEntry* fileOf(const IsoContents& contents, const std::string& path) {
  auto found = contents.files.find(path);
  return found == contents.files.end() ? nullptr : &found->second;
}

void checkLabel(const IsoContents& contents, DriveReport& report) {
  // cloud-init's ConfigDrive source looks for these two labels only.
  if (contents.label != "config-2" && contents.label != "CONFIG-2") {
    report.problems.push_back("cloud-init: label is '" + contents.label + "', not config-2");
  }
}

void checkMetaData(const IsoContents& contents, DriveReport& report) {
  const IsoFileEntry* file = fileOf(contents, kMetaData);
  if (file == nullptr) {
    report.problems.push_back("cloud-init: " + kMetaData + " is missing");
    return;
  }
  json meta = json::parse(file->data, nullptr, false);
  if (meta.is_discarded() || !meta.is_object()) {
    report.problems.push_back("cloud-init: " + kMetaData + " is not a JSON object");
  } else if (!meta.contains("uuid") || !meta["uuid"].is_string() || meta["uuid"].get<std::string>().empty()) {
    report.problems.push_back("cloud-init: " + kMetaData + " has no uuid");
  }
}

// cloud-init loads these with load_json(root_types=(dict, list, str)); anything else is BrokenMetadata.
std::optional<json> loadOptionalJson(const IsoContents& contents, const std::string& name, DriveReport& report) {
  const IsoFileEntry* file = fileOf(contents, kOpenstack + name);
  if (file == nullptr) return std::nullopt;
  json value = json::parse(file->data, nullptr, false);
  if (value.is_discarded() || !(value.is_object() || value.is_array() || value.is_string())) {
    report.problems.push_back("cloud-init: " + kOpenstack + name + " is not valid JSON (an object, list or string)");
    return std::nullopt;
  }
  return value;
}

void checkJsonFiles(const IsoContents& contents, DriveReport& report) {
  if (std::optional<json> vendor = loadOptionalJson(contents, "vendor_data.json", report)) {
    for (const std::string& warning : vendorDataWarnings(*vendor)) {
      report.warnings.push_back("cloud-init: " + kOpenstack + "vendor_data.json: " + warning);
    }
  }
  if (std::optional<json> network = loadOptionalJson(contents, "network_data.json", report)) {
    for (const std::string& problem : networkDataProblems(*network)) {
      report.problems.push_back("cloud-init: " + kOpenstack + "network_data.json: " + problem);
    }
  }
}

void checkUserDataIdentity(const IsoContents& contents, DriveReport& report) {
  const IsoFileEntry* openstack = fileOf(contents, kOpenstack + "user_data");
  const IsoFileEntry* cloudstack = fileOf(contents, "/cloudstack/userdata/user_data.txt");
  if (openstack != nullptr && cloudstack != nullptr && openstack->data != cloudstack->data) {
    report.problems.push_back(
        "cloud-init and CloudStack readers: /openstack/latest/user_data and /cloudstack/userdata/user_data.txt "
        "differ");
  }
}

void checkPasswordChecksum(const IsoContents& contents, DriveReport& report) {
  const IsoFileEntry* password = fileOf(contents, "/cloudstack/password/vm_password.txt");
  const IsoFileEntry* checksum = fileOf(contents, "/cloudstack/password/vm-password-md5checksum.txt");
  if (checksum == nullptr) return;
  if (password == nullptr || checksum->data != cloudstackPasswordChecksum(password->data)) {
    report.problems.push_back(
        "CloudStack Windows password agent: vm-password-md5checksum.txt does not match vm_password.txt");
  }
}

// Windows reads the Joliet tree; names there must be the Rock Ridge names Linux readers see.
void checkJolietNames(const IsoContents& contents, DriveReport& report) {
  if (!contents.jolietPaths) {
    report.problems.push_back("Windows guests (cloudbase-init): no Joliet tree, so no lower-case long names");
    return;
  }
  for (const auto& [path, entry] : contents.files) {
    if (!contents.jolietPaths->count(path)) {
      report.problems.push_back("Windows guests (cloudbase-init): " + path + " has another name in the Joliet tree");
    }
  }
}

bool isString(const json& object, const char* key) { return object.contains(key) && object[key].is_string(); }

void checkLink(const json& link, std::set<std::string>& ids, std::vector<std::string>& problems) {
  if (!link.is_object() || !isString(link, "id") || !isString(link, "type")) {
    problems.push_back("a link needs an \"id\" and a \"type\"");
    return;
  }
  std::string id = link["id"], type = link["type"];
  ids.insert(id);
  auto need = [&](const char* key, const char* why) {
    if (!link.contains(key)) problems.push_back("link '" + id + "' has no " + key + " (" + why + ")");
  };
  if (type == "vlan") {
    need("vlan_link", "a VLAN names its link");
    need("vlan_id", "a VLAN needs its id");
    need("vlan_mac_address", "cloud-init names the VLAN by it");
  } else if (type == "bond") {
    need("bond_links", "a bond lists its links");
  } else if (!isString(link, "ethernet_mac_address") && !isString(link, "name")) {
    problems.push_back("link '" + id + "' has no ethernet_mac_address (cloud-init finds the NIC by it)");
  }
}

}  // namespace

std::vector<std::string> networkDataProblems(const json& networkData) {
  std::vector<std::string> problems;
  if (!networkData.is_object()) return {"is not a JSON object"};
  for (const char* key : {"links", "networks", "services"}) {
    if (networkData.contains(key) && !networkData[key].is_array()) {
      problems.push_back(std::string("\"") + key + "\" is not a list");
    }
  }
  if (!problems.empty()) return problems;
  std::set<std::string> linkIds;
  for (const json& link : networkData.value("links", json::array())) checkLink(link, linkIds, problems);
  for (const json& network : networkData.value("networks", json::array())) {
    if (!network.is_object() || !isString(network, "link") || !isString(network, "type")) {
      problems.push_back("a network needs a \"link\" and a \"type\"");
    } else if (!linkIds.count(network["link"])) {
      problems.push_back("network on link '" + network["link"].get<std::string>() + "', which is no link");
    }
  }
  return problems;
}

std::vector<std::string> vendorDataWarnings(const json& vendorData) {
  // cloud-init's convert_vendordata: an object counts only through its "cloud-init" string or list.
  if (!vendorData.is_object() || vendorData.empty()) return {};
  if (!vendorData.contains("cloud-init")) return {"has no \"cloud-init\" key; cloud-init ignores it"};
  const json& value = vendorData["cloud-init"];
  if (!(value.is_string() || value.is_array() || value.is_null())) {
    return {"its \"cloud-init\" value is neither a string nor a list; cloud-init ignores it"};
  }
  return {};
}

DriveReport inspectDrive(const IsoContents& contents) {
  DriveReport report;
  checkLabel(contents, report);
  checkMetaData(contents, report);
  checkJsonFiles(contents, report);
  checkUserDataIdentity(contents, report);
  checkPasswordChecksum(contents, report);
  checkJolietNames(contents, report);
  return report;
}

}  // namespace vcd
