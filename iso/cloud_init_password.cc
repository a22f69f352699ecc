// The password as cloud-init guests take it: vendor data parts for cloud-init's set_passwords, and one that
// applies a password changed later at the guest's next boot (SPEC §4, vendor_data.json).
#include "iso/cloud_init_password.h"

#include <string_view>

#include "util/digest.h"
#include "util/json_text.h"
#include "util/password_hash.h"

namespace vcd {

namespace {

using json = nlohmann::json;

const std::string kCloudConfig = "#cloud-config\n";
const std::string kBoothook = "#cloud-boothook\n";
// How the password's cloud-config part begins: the boothook finds it on the drive by it, and inspect tells it apart.
const std::string kPasswordPartPrefix = kCloudConfig + "# virt-configdrive: password\n";

// cloud-init's set_passwords runs once per instance, and a guest whose instance id is its SMBIOS UUID (the default
// one) never reads the drive again after its first boot: cloud-init restores that boot's data from its cache. So
// this part, which cloud-init keeps and runs at every boot (a boothook, PER_ALWAYS), reads the drive itself with
// cloud-init's own ConfigDrive reader, finds the password's cloud-config part (the hash only, never the clear
// text) and, when its hash differs from the one applied last, sets it as set_passwords would: for the default user
// cloud-init's config names, with `chpasswd -e`. At the instance's first boot the default user does not exist yet
// and set_passwords sets the password; this part only records it.
const char* const kReapplyPart = R"(#!/usr/bin/python3
# virt-configdrive: a password changed on the host applies at the guest's next boot.
import hashlib, json, os, pwd, sys
from cloudinit import stages, util
from cloudinit.distros import ug_util
from cloudinit.sources import DataSourceConfigDrive as configdrive

MARK = @PASSWORD_PART_PREFIX@
APPLIED = "/var/lib/cloud/virt-configdrive-password.sha256"


def hash_on_drive():
    for device in configdrive.find_candidate_devs():
        try:
            results = util.mount_cb(device, configdrive.read_config_drive)
        except Exception:
            continue
        vendor = results.get("vendordata")
        parts = vendor.get("cloud-init") if isinstance(vendor, dict) else None
        for part in parts if isinstance(parts, list) else []:
            if isinstance(part, str) and part.startswith(MARK):
                return json.loads(part[len(MARK):]).get("password")
        return None
    return None


def main():
    wanted = hash_on_drive()
    if not wanted:
        return
    digest = hashlib.sha256(wanted.encode()).hexdigest()
    try:
        with open(APPLIED) as f:
            if f.read().strip() == digest:
                return
    except FileNotFoundError:
        pass
    init = stages.Init()
    init.read_cfg()
    users, _ = ug_util.normalize_users_groups(init.cfg, init.distro)
    user, _ = ug_util.extract_default(users)
    if not user:
        print("virt-configdrive: no default user to give the password to", file=sys.stderr)
        return
    try:
        pwd.getpwnam(user)
    except KeyError:
        user = None  # the instance's first boot: set_passwords gives it the password once users-groups made it
    if user:
        init.distro.chpasswd([(user, wanted)], hashed=True)
        print("virt-configdrive: the config drive's password set for " + user)
    util.write_file(APPLIED, digest + "\n", mode=0o600)


main()
)";

std::string passwordPart(const std::string& passwordHash) {
  json config = {{"password", passwordHash}, {"chpasswd", {{"expire", false}}}};
  return kPasswordPartPrefix + dumpJson(config, "vendor_data.json") + "\n";
}

// The boothook part, its MARK the prefix above as a JSON string (which Python reads as the same string literal).
const std::string& reapplyPart() {
  static const std::string part = [] {
    std::string script = kReapplyPart;
    const std::string placeholder = "@PASSWORD_PART_PREFIX@";
    script.replace(script.find(placeholder), placeholder.size(), dumpJson(json(kPasswordPartPrefix), "boothook"));
    return kBoothook + script;
  }();
  return part;
}

bool startsWith(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

// The string parts of a vendor data "cloud-init" value (a string or a list), as cloud-init takes them.
std::vector<std::string> stringParts(const json& vendorData) {
  std::vector<std::string> parts;
  if (!vendorData.is_object() || !vendorData.contains("cloud-init")) return parts;
  const json& value = vendorData["cloud-init"];
  for (const json& part : value.is_array() ? value : json::array({value})) {
    if (part.is_string()) parts.push_back(part.get<std::string>());
  }
  return parts;
}

bool setsAPassword(const std::string& cloudConfig) {
  for (std::string_view key : {"\npassword:", "\nchpasswd:", "\"password\"", "\"chpasswd\""}) {
    if (cloudConfig.find(key) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

std::string passwordCryptHash(const DriveContent& content) {
  const std::string password = content.password.value_or("");
  return sha512CryptHash(password,
                         sha256Digest("virt-configdrive password salt\n" + content.instanceId + "\n" + password));
}

json vendorDataWithPassword(const json& operatorVendorData, const std::string& passwordHash) {
  json vendorData = operatorVendorData.is_object() ? operatorVendorData : json::object();
  json parts = json::array({passwordPart(passwordHash), reapplyPart()});
  const json theirs = vendorData.value("cloud-init", json());
  if (theirs.is_string()) {
    parts.push_back(theirs);
  } else if (theirs.is_array()) {
    parts.insert(parts.end(), theirs.begin(), theirs.end());
  }
  // Any other value cloud-init ignores (vendorDataWarnings): the password's parts take its place on the drive.
  vendorData["cloud-init"] = std::move(parts);
  return vendorData;
}

std::string vendorDataPassword(const json& vendorData) {
  bool ours = false;
  bool theirs = false;
  bool reapplied = false;
  for (const std::string& part : stringParts(vendorData)) {
    if (startsWith(part, kPasswordPartPrefix)) {
      ours = true;
    } else if (part == reapplyPart()) {
      reapplied = true;
    } else if (startsWith(part, kCloudConfig) && setsAPassword(part)) {
      theirs = true;
    }
  }
  std::string said;
  if (ours) {
    said = "the image's default user (SHA-512 crypt hash, not expired; ";
    said += reapplied ? "a changed password applies at the next boot)" : "applied once per instance)";
  }
  if (theirs) said += std::string(ours ? "; " : "") + "a cloud-config part of its own sets a password or chpasswd";
  return said.empty() ? "none" : said;
}

}  // namespace vcd
