// Where every piece of DriveContent goes on the drive: the CloudStack and OpenStack layouts (docs/drive-format.md).
#include "iso/drive_layout.h"

#include <algorithm>

#include "iso/cloud_init_password.h"
#include "iso/cloud_init_vendor_data.h"
#include "iso/guest_follower.h"
#include "util/digest.h"
#include "util/json_text.h"

namespace vcd {

namespace {

using json = nlohmann::json;

class DriveFiles {
 public:
  // Member by member: GCC 12 at -O3 takes the moves of a braced DriveFile for a memcpy past its end
  // (-Warray-bounds, a false positive).
  void add(std::string path, std::shared_ptr<const std::string> data) {
    DriveFile& file = files_.emplace_back();
    file.path = std::move(path);
    file.data = std::move(data);
  }
  void add(std::string path, std::string data) {
    add(std::move(path), std::make_shared<const std::string>(std::move(data)));
  }
  // CloudStack text files exist only when they have something to say.
  void addIfNotEmpty(std::string path, const std::string& data) {
    if (!data.empty()) add(std::move(path), data);
  }
  std::vector<DriveFile> sorted() && {
    std::sort(files_.begin(), files_.end(), [](const DriveFile& a, const DriveFile& b) { return a.path < b.path; });
    return std::move(files_);
  }

 private:
  std::vector<DriveFile> files_;
};

std::string joinKeys(const std::vector<PublicKey>& keys) {
  std::string joined;
  for (const PublicKey& key : keys) {
    if (!joined.empty()) joined += '\n';
    joined += key.data;
  }
  return joined;
}

void layOutCloudstack(const DriveContent& content, DriveFiles& files) {
  const std::string dir = "cloudstack/metadata/";
  files.addIfNotEmpty(dir + "availability-zone.txt", content.availabilityZone);
  files.addIfNotEmpty(dir + "instance-id.txt", content.instanceId);
  files.addIfNotEmpty(dir + "vm-id.txt", content.instanceId);
  files.addIfNotEmpty(dir + "service-offering.txt", content.serviceOffering);
  files.addIfNotEmpty(dir + "cloud-identifier.txt", content.cloudIdentifier);
  files.addIfNotEmpty(dir + "local-hostname.txt", content.hostname);
  files.addIfNotEmpty(dir + "public-keys.txt", joinKeys(content.publicKeys));
  if (content.password && !content.password->empty() && content.passwordCleartext) {
    files.add("cloudstack/password/vm_password.txt", *content.password);
    if (content.windows) {
      files.add("cloudstack/password/vm-password-md5checksum.txt", cloudstackPasswordChecksum(*content.password));
    }
  }
}

// cloud-init reads no password file: a Linux guest's password reaches it through vendor data (set_passwords), and
// the guest follower with it. Windows guests read admin_pass (cloudbase-init), and the cloud-init parts would be
// foreign to them: theirs is the operator's vendor data as given. A Linux guest's "cloud-init" list goes as one
// multipart string either way.
std::string vendorData(const DriveContent& content) {
  if (content.windows) return content.vendorData.text();
  std::vector<std::string> ourParts;
  if (content.password && !content.password->empty()) ourParts.push_back(passwordPart(passwordCryptHash(content)));
  if (content.guestFollows) ourParts.insert(ourParts.end(), followerParts().begin(), followerParts().end());
  if (ourParts.empty()) {
    std::optional<json> converted = vendorDataListAsMultipart(jsonValue(content.vendorData));
    return converted ? dumpJson(*converted, "vendor_data.json") : content.vendorData.text();
  }
  return dumpJson(vendorDataWithParts(jsonValue(content.vendorData), std::move(ourParts)), "vendor_data.json");
}

}  // namespace

std::string openstackMetaData(const DriveContent& content) {
  json meta = {
      {"uuid", content.instanceId}, {"name", content.domainName},    {"hostname", content.hostname},
      {"launch_index", 0},          {"public_keys", json::object()}, {"keys", json::array()},
  };
  if (!content.availabilityZone.empty()) meta["availability_zone"] = content.availabilityZone;
  for (const PublicKey& key : content.publicKeys) {
    meta["public_keys"][key.name] = key.data;
    meta["keys"].push_back({{"name", key.name}, {"type", "ssh"}, {"data", key.data}});
  }
  if (content.windows && content.password && !content.password->empty() && content.passwordCleartext) {
    meta["admin_pass"] = *content.password;
  }
  return dumpJson(meta, "meta_data.json");
}

std::string cloudstackPasswordChecksum(const std::string& password) {
  std::string hex = md5Hex(password);
  std::size_t firstSignificant = hex.find_first_not_of('0');
  return firstSignificant == std::string::npos ? "0" : hex.substr(firstSignificant);
}

std::vector<DriveFile> layOutDrive(DriveContent content) {
  DriveFiles files;
  layOutCloudstack(content, files);
  const std::string openstack = "openstack/latest/";
  files.add(openstack + "meta_data.json", openstackMetaData(content));
  files.add(openstack + "vendor_data.json", vendorData(content));
  if (content.networkData) files.add(openstack + "network_data.json", content.networkData->text());
  if (content.userData) {
    auto userData = std::make_shared<const std::string>(std::move(*content.userData));
    files.add("cloudstack/userdata/user_data.txt", userData);
    files.add(openstack + "user_data", userData);
  }
  return std::move(files).sorted();
}

}  // namespace vcd
