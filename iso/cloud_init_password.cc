// The password as cloud-init guests take it: a vendor data part for cloud-init's set_passwords (in
// vendor_data.json: docs/drive-format.md), and what a drive's vendor data does with a password, for inspect.
#include "iso/cloud_init_password.h"

#include <string_view>
#include <vector>

#include "iso/cloud_init_vendor_data.h"
#include "iso/guest_follower.h"
#include "util/digest.h"
#include "util/json_text.h"
#include "util/password_hash.h"

namespace vcd {

namespace {

using json = nlohmann::json;

const std::string kCloudConfig = "#cloud-config\n";
// How the password's cloud-config part begins: the guest follower finds it on the drive by it (its PASSWORD_PART),
// and inspect tells it apart.
const std::string kPasswordPartPrefix = kCloudConfig + "# virt-configdrive: password\n";

bool startsWith(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

bool setsAPassword(const std::string& cloudConfig) {
  for (std::string_view key : {"\npassword:", "\nchpasswd:", "\"password\"", "\"chpasswd\""}) {
    if (cloudConfig.find(key) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

std::string passwordCryptHash(const DriveContent& content) {
  const std::string password = content.password.value_or("");
  if (content.passwordSalt) return sha512CryptHash(password, *content.passwordSalt);
  // A password sealed by an earlier release keeps the salt it had, until it is set again.
  return sha512CryptHash(password,
                         sha256Digest("virt-configdrive password salt\n" + content.instanceId + "\n" + password));
}

std::string passwordPart(const std::string& passwordHash) {
  json config = {{"password", passwordHash}, {"chpasswd", {{"expire", false}}}};
  return kPasswordPartPrefix + dumpJson(config, "vendor_data.json") + "\n";
}

std::string vendorDataPassword(const json& vendorData) {
  bool ours = false;
  bool theirs = false;
  bool followed = false;
  for (const std::string& part : vendorDataParts(vendorData)) {
    if (startsWith(part, kPasswordPartPrefix)) {
      ours = true;
    } else if (isFollowerBoothook(part)) {
      followed = true;
    } else if (startsWith(part, kCloudConfig) && setsAPassword(part)) {
      theirs = true;
    }
  }
  std::string said;
  if (ours) {
    said = "the image's default user (SHA-512 crypt hash, not expired; ";
    said += followed ? "a changed password applies at the next boot and while the guest runs)"
                     : "applied once per instance)";
  }
  if (theirs) said += std::string(ours ? "; " : "") + "a cloud-config part of its own sets a password or chpasswd";
  return said.empty() ? "none" : said;
}

}  // namespace vcd
