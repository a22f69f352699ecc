// Judges a config drive: what would make a reader reject it, and what a reader would ignore.
#include "iso/drive_inspection.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "iso/cloud_init_password.h"
#include "iso/cloud_init_vendor_data.h"
#include "iso/drive_layout.h"
#include "iso/guest_follower.h"
#include "util/json_text.h"

namespace vcd {

namespace {

using json = nlohmann::json;

const std::string kOpenstack = "/openstack/latest/";
const std::string kMetaData = kOpenstack + "meta_data.json";
// What inspect itself will not read (cloud-init might): reported as a problem, since no verdict is possible.
const std::string kNotInspected = "not inspected: ";

const IsoFileEntry* fileOf(const IsoContents& contents, const std::string& path) {
  auto found = contents.files.find(path);
  return found == contents.files.end() ? nullptr : &found->second;
}

void checkLabel(const IsoContents& contents, DriveReport& report) {
  if (cloudInitSourceOfLabel(contents.label) != "ConfigDrive") {
    report.problems.push_back("cloud-init: label is '" + contents.label + "', not config-2");
  }
}

void checkMetaData(const IsoContents& contents, DriveReport& report) {
  const IsoFileEntry* file = fileOf(contents, kMetaData);
  if (file == nullptr) {
    report.problems.push_back("cloud-init: " + kMetaData + " is missing");
    return;
  }
  std::string why;
  std::optional<json> parsed = parseJson(file->data, why);
  if (!parsed && why == kJsonTooDeep) {
    report.problems.push_back(kNotInspected + kMetaData + " " + why);
    return;
  }
  const json meta = parsed.value_or(json());
  if (!meta.is_object()) {
    report.problems.push_back("cloud-init: " + kMetaData + " is not a JSON object");
  } else if (!meta.contains("uuid") || !meta["uuid"].is_string() || meta["uuid"].get<std::string>().empty()) {
    report.problems.push_back("cloud-init: " + kMetaData + " has no uuid");
  }
}

// cloud-init loads these with load_json(root_types=(dict, list, str)); anything else is BrokenMetadata.
std::optional<json> loadOptionalJson(const IsoContents& contents, const std::string& name, DriveReport& report) {
  const IsoFileEntry* file = fileOf(contents, kOpenstack + name);
  if (file == nullptr) return std::nullopt;
  std::string why;
  std::optional<json> parsed = parseJson(file->data, why);
  if (!parsed && why == kJsonTooDeep) {
    report.problems.push_back(kNotInspected + kOpenstack + name + " " + why);
    return std::nullopt;
  }
  json value = parsed.value_or(json());
  if (!parsed || !(value.is_object() || value.is_array() || value.is_string())) {
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
    report.password = vendorDataPassword(*vendor);
    std::vector<std::string> parts = vendorDataParts(*vendor);
    report.guestFollows = std::any_of(parts.begin(), parts.end(), isFollowerBoothook);
  }
  std::optional<json> network = loadOptionalJson(contents, "network_data.json", report);
  if (network) {
    for (const std::string& problem : networkDataProblems(*network)) {
      report.problems.push_back("cloud-init: " + kOpenstack + "network_data.json: " + problem);
    }
    if (std::optional<std::string> why = whyNoNetwork(*network)) {
      report.problems.push_back("cloud-init would configure no network: " + kOpenstack + "network_data.json: " + *why);
    }
  }
  report.network = networkKind(network);
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

void checkPasswordCleartext(const IsoContents& contents, DriveReport& report) {
  report.passwordCleartext = fileOf(contents, "/cloudstack/password/vm_password.txt") != nullptr;
  const IsoFileEntry* meta = fileOf(contents, kOpenstack + "meta_data.json");
  std::string why;
  std::optional<json> parsed = meta ? parseJson(meta->data, why) : std::nullopt;
  if (parsed && parsed->is_object() && parsed->contains("admin_pass")) report.passwordCleartext = true;
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

// The string at key, or "" when there is none (or something else there).
std::string stringAt(const json& object, const char* key) {
  return object.is_object() && isString(object, key) ? object[key].get<std::string>() : std::string();
}

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

std::string lowerCase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Whether a network on this link reaches a NIC with one of the MACs: cloud-init finds a phy link's NIC by its MAC;
// a VLAN rides on its vlan_link, a bond on its bond_links. A link named without a MAC is given the benefit of doubt.
bool reachesMac(const json& link, const std::map<std::string, json>& links, const std::set<std::string>& macs,
                int depth = 0) {
  auto linked = [&](const json& id) {
    auto found = id.is_string() ? links.find(id.get<std::string>()) : links.end();
    return found != links.end() && depth < 8 && reachesMac(found->second, links, macs, depth + 1);
  };
  const std::string type = stringAt(link, "type");
  if (type == "vlan") return linked(link.value("vlan_link", json()));
  if (type == "bond") {
    const json members = link.value("bond_links", json::array());
    return members.is_array() && std::any_of(members.begin(), members.end(), linked);
  }
  if (!isString(link, "ethernet_mac_address")) return true;
  return macs.count(lowerCase(link["ethernet_mac_address"].get<std::string>())) != 0;
}

}  // namespace

std::optional<std::string> whyNoNetwork(const json& networkData, const std::vector<std::string>& macs) {
  if (!networkData.is_object()) return "it is not a JSON object";
  std::map<std::string, json> links;
  const json linkList = networkData.value("links", json::array());
  for (const json& link : linkList.is_array() ? linkList : json::array()) {
    if (link.is_object() && isString(link, "id")) links[link["id"].get<std::string>()] = link;
  }
  const json networks = networkData.value("networks", json::array());
  if (!networks.is_array() || networks.empty()) return "it has no networks";
  std::set<std::string> wanted;
  for (const std::string& mac : macs) wanted.insert(lowerCase(mac));
  for (const json& network : networks) {
    auto link =
        network.is_object() && isString(network, "link") ? links.find(network["link"].get<std::string>()) : links.end();
    if (link != links.end() && (wanted.empty() || reachesMac(link->second, links, wanted))) return std::nullopt;
  }
  if (wanted.empty()) return "none of its networks is on one of its links";
  std::string list;
  for (const std::string& mac : wanted) list += (list.empty() ? "" : ", ") + mac;
  return "none of its networks is on a link with one of the domain's MACs (" + list + ")";
}

std::string networkKind(const std::optional<json>& networkData) {
  if (!networkData) return "none";
  const json networks = networkData->is_object() ? networkData->value("networks", json::array()) : json::array();
  bool dhcp =
      networks.is_array() && !networks.empty() && std::all_of(networks.begin(), networks.end(), [](const json& n) {
        return stringAt(n, "type") == "ipv4_dhcp" || stringAt(n, "type") == "ipv6_dhcp";
      });
  return dhcp ? "dhcp" : "explicit";
}

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

std::optional<std::string> cloudInitSourceOfLabel(const std::string& label) {
  // ConfigDrive looks for these two labels only; NoCloud for its fs_label, "cidata" unless configured, upper and
  // lower case.
  if (label == "config-2" || label == "CONFIG-2") return "ConfigDrive";
  if (label == "cidata" || label == "CIDATA") return "NoCloud";
  return std::nullopt;
}

DriveReport inspectDrive(const IsoContents& contents) {
  DriveReport report;
  checkLabel(contents, report);
  checkMetaData(contents, report);
  checkJsonFiles(contents, report);
  checkUserDataIdentity(contents, report);
  checkPasswordChecksum(contents, report);
  checkPasswordCleartext(contents, report);
  checkJolietNames(contents, report);
  return report;
}

}  // namespace vcd
