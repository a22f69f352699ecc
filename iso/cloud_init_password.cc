// The password as cloud-init guests take it: vendor data parts for cloud-init's set_passwords, and one that
// applies a password changed later at the guest's next boot (SPEC §4, vendor_data.json).
#include "iso/cloud_init_password.h"

#include <algorithm>
#include <optional>
#include <string_view>
#include <vector>

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
// The parts travel as one MIME multipart string, the form OpenStack's own vendor data takes, not as a JSON list:
// cloud-init 24.3 and later (Debian 13's 25.1) check a list in init-local as if it were a string, and the stage
// stops there with an AttributeError. Each part is text/plain, which cloud-init types by its first line
// (#cloud-config, #cloud-boothook, #!…), as it types a list's strings; a part that is a MIME message itself goes in
// whole, its headers the part's. The boundary is a digest of the parts, so no part holds it, and the same parts
// give the same bytes (SPEC §4: byte-identical ISOs).
const std::string kMultipartHeader = "Content-Type: multipart/mixed; boundary=\"";
const std::string kBoundaryPrefix = "virt-configdrive-";

// cloud-init's set_passwords runs once per instance, and a guest whose instance id is its SMBIOS UUID (the default
// one) never reads the drive again after its first boot: cloud-init restores that boot's data from its cache. So
// this part, which cloud-init keeps and runs at every boot (a boothook, PER_ALWAYS), reads the drive itself with
// cloud-init's own ConfigDrive reader, finds the password's cloud-config part (the hash only, never the clear
// text) and, when its hash differs from the one applied last, sets it as set_passwords would: for the default user
// cloud-init's config names, with `chpasswd -e`. At the instance's first boot the default user does not exist yet
// and set_passwords sets the password; this part only records it.
const char* const kReapplyPart = R"(#!/usr/bin/python3
# virt-configdrive: a password changed on the host applies at the guest's next boot.
import email, hashlib, json, os, pwd, sys
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
        for part in email.message_from_string(parts).walk() if isinstance(parts, str) else []:
            text = part.get_payload()
            if isinstance(text, str) and text.startswith(MARK):
                return json.loads(text[len(MARK):]).get("password")
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

// A "cloud-init" value's strings as cloud-init takes them: the value itself when it is one, a list's strings.
std::vector<std::string> stringsOf(const json& value) {
  std::vector<std::string> strings;
  for (const json& part : value.is_array() ? value : json::array({value})) {
    if (part.is_string()) strings.push_back(part.get<std::string>());
  }
  return strings;
}

bool isMimeMessage(std::string_view part) {
  return startsWith(part, "Content-Type:") || startsWith(part, "MIME-Version:");
}

std::string multipart(const std::vector<std::string>& parts) {
  std::string all;
  for (const std::string& part : parts) all += sha256Hex(part);
  const std::string boundary = kBoundaryPrefix + sha256Hex(all).substr(0, 32);
  std::string text = kMultipartHeader + boundary + "\"\nMIME-Version: 1.0\n";
  for (const std::string& part : parts) {
    text += "\n--" + boundary + "\n";
    text += isMimeMessage(part) ? part : "Content-Type: text/plain; charset=\"utf-8\"\n\n" + part;
  }
  return text + "\n--" + boundary + "--\n";
}

// The bodies of the parts multipart() made (a nested MIME message's body as one), or nullopt for any other text.
std::optional<std::vector<std::string>> multipartBodies(const std::string& text) {
  if (!startsWith(text, kMultipartHeader + kBoundaryPrefix)) return std::nullopt;
  const size_t boundaryEnd = text.find('"', kMultipartHeader.size());
  const std::string boundary = text.substr(kMultipartHeader.size(), boundaryEnd - kMultipartHeader.size());
  const std::string delimiter = "\n--" + boundary;
  std::vector<std::string> bodies;
  for (size_t at = text.find(delimiter); at != std::string::npos;) {
    const size_t start = at + delimiter.size();
    at = text.find(delimiter, start);
    if (at == std::string::npos || text.compare(start, 1, "\n") != 0) break;  // the closing "--", or damage
    const size_t body = text.find("\n\n", start);
    if (body == std::string::npos || body >= at) break;
    bodies.push_back(text.substr(body + 2, at - body - 2));
  }
  return bodies;
}

// The "cloud-init" value of vendor data, the only one cloud-init reads; nullptr when there is none.
const json* cloudInitValue(const json& vendorData) {
  if (!vendorData.is_object() || !vendorData.contains("cloud-init")) return nullptr;
  return &vendorData["cloud-init"];
}

bool setsAPassword(const std::string& cloudConfig) {
  for (std::string_view key : {"\npassword:", "\nchpasswd:", "\"password\"", "\"chpasswd\""}) {
    if (cloudConfig.find(key) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

std::vector<std::string> vendorDataParts(const json& vendorData) {
  const json* value = cloudInitValue(vendorData);
  if (!value) return {};
  if (value->is_string()) {
    if (auto bodies = multipartBodies(value->get<std::string>())) return *bodies;
  }
  return stringsOf(*value);
}

std::string passwordCryptHash(const DriveContent& content) {
  const std::string password = content.password.value_or("");
  return sha512CryptHash(password,
                         sha256Digest("virt-configdrive password salt\n" + content.instanceId + "\n" + password));
}

json vendorDataWithPassword(const json& operatorVendorData, const std::string& passwordHash) {
  json vendorData = operatorVendorData.is_object() ? operatorVendorData : json::object();
  std::vector<std::string> parts = {passwordPart(passwordHash), reapplyPart()};
  // The operator's string or list of strings after them; any other value cloud-init ignores (vendorDataWarnings):
  // the password's parts take its place on the drive.
  for (std::string& theirs : stringsOf(vendorData.value("cloud-init", json()))) parts.push_back(std::move(theirs));
  vendorData["cloud-init"] = multipart(parts);
  return vendorData;
}

std::optional<json> vendorDataListAsMultipart(const json& operatorVendorData) {
  const json* value = cloudInitValue(operatorVendorData);
  auto isString = [](const json& part) { return part.is_string(); };
  if (!value || !value->is_array() || !std::all_of(value->begin(), value->end(), isString)) return std::nullopt;
  json vendorData = operatorVendorData;
  vendorData["cloud-init"] = multipart(stringsOf(*value));
  return vendorData;
}

std::string vendorDataPassword(const json& vendorData) {
  bool ours = false;
  bool theirs = false;
  bool reapplied = false;
  for (const std::string& part : vendorDataParts(vendorData)) {
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
