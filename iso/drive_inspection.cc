// Judges a config drive read back from an ISO: what would stop cloud-init from accepting it.
#include "iso/drive_inspection.h"

#include <nlohmann/json.hpp>

namespace vcd {

namespace {

const std::string kMetaData = "/openstack/latest/meta_data.json";

void checkLabel(const IsoContents& contents, std::vector<std::string>& problems) {
  // cloud-init's ConfigDrive source looks for these two labels only.
  if (contents.label != "config-2" && contents.label != "CONFIG-2") {
    problems.push_back("cloud-init: label is '" + contents.label + "', not config-2");
  }
}

void checkMetaData(const IsoContents& contents, std::vector<std::string>& problems) {
  auto found = contents.files.find(kMetaData);
  if (found == contents.files.end()) {
    problems.push_back("cloud-init: " + kMetaData + " is missing");
    return;
  }
  nlohmann::json meta = nlohmann::json::parse(found->second.data, nullptr, false);
  if (meta.is_discarded() || !meta.is_object()) {
    problems.push_back("cloud-init: " + kMetaData + " is not a JSON object");
  } else if (!meta.contains("uuid") || !meta["uuid"].is_string() || meta["uuid"].get<std::string>().empty()) {
    problems.push_back("cloud-init: " + kMetaData + " has no uuid");
  }
}

void checkUserDataIdentity(const IsoContents& contents, std::vector<std::string>& problems) {
  auto openstack = contents.files.find("/openstack/latest/user_data");
  auto cloudstack = contents.files.find("/cloudstack/userdata/user_data.txt");
  if (openstack == contents.files.end() || cloudstack == contents.files.end()) return;
  if (openstack->second.data != cloudstack->second.data) {
    problems.push_back(
        "cloud-init and CloudStack readers: /openstack/latest/user_data and "
        "/cloudstack/userdata/user_data.txt differ");
  }
}

}  // namespace

std::vector<std::string> findDriveProblems(const IsoContents& contents) {
  std::vector<std::string> problems;
  checkLabel(contents, problems);
  checkMetaData(contents, problems);
  checkUserDataIdentity(contents, problems);
  return problems;
}

}  // namespace vcd
