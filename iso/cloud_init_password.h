// The password as cloud-init guests take it: vendor data parts for cloud-init's set_passwords, and one that
// applies a password changed later at the guest's next boot (SPEC §4, vendor_data.json).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "iso/drive_content.h"

namespace vcd {

// The SHA-512 crypt hash the drive gives the guest for content.password. Its salt comes from the instance id and
// the password, so that the same inputs give the same drive (SPEC §4: byte-identical ISOs).
std::string passwordCryptHash(const DriveContent& content);

// vendor_data.json for a Linux guest with a password: the operator's object, its "cloud-init" value a MIME
// multipart string of the password's parts (a cloud-config giving the image's default user `passwordHash`, not
// expired, and the boothook that re-applies a changed password at every later boot) followed by the operator's own
// string or strings. cloud-init merges cloud-config parts in order, a later part's key replacing an earlier one's:
// the operator's own `password` or `chpasswd` wins.
nlohmann::json vendorDataWithPassword(const nlohmann::json& operatorVendorData, const std::string& passwordHash);

// vendor_data.json for a guest without a password, when the operator's "cloud-init" value is a list of strings: the
// object with that list as one MIME multipart string of the same parts, in order, as vendorDataWithPassword writes
// them. cloud-init 24.3 and later (Debian 13's 25.1) stop their init-local stage at a list (an AttributeError);
// every release takes the multipart string. nullopt for any other vendor data, which goes on the drive as given.
std::optional<nlohmann::json> vendorDataListAsMultipart(const nlohmann::json& operatorVendorData);

// The parts of a vendor data "cloud-init" value as text: a list's strings, the parts of the multipart string
// vendorDataWithPassword makes, or any other string as one part.
std::vector<std::string> vendorDataParts(const nlohmann::json& vendorData);

// What a drive's vendor data does with a password, for inspect: "none", "default user (virt-configdrive: SHA-512
// crypt hash, not expired, a change applies at the next boot)", or, for another tool's vendor data, what its
// cloud-config parts say in their own words.
std::string vendorDataPassword(const nlohmann::json& vendorData);

}  // namespace vcd
