// The password as cloud-init guests take it: a vendor data part for cloud-init's set_passwords (in
// vendor_data.json: docs/drive-format.md), and what a drive's vendor data does with a password, for inspect.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "iso/drive_content.h"

namespace vcd {

// The SHA-512 crypt hash the drive gives the guest for content.password, with content.passwordSalt, the salt
// drawn when the password was set and sealed with it: the same sealed value gives the same drive (a drive is
// byte-identical for the same input), and the hash tells nothing a guess could be tested against faster than crypt
// itself.
std::string passwordCryptHash(const DriveContent& content);

// The cloud-config part giving the image's default user `passwordHash`, not expired. The guest follower finds it
// on the drive by how it begins.
std::string passwordPart(const std::string& passwordHash);

// What a drive's vendor data does with a password, for inspect: "none", "the image's default user (…)", or, for
// another tool's vendor data, what its cloud-config parts say in their own words.
std::string vendorDataPassword(const nlohmann::json& vendorData);

}  // namespace vcd
