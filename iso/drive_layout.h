// Where every piece of DriveContent goes on the drive: the CloudStack and OpenStack layouts (docs/drive-format.md).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "iso/drive_content.h"

namespace vcd {

// A file on the drive. Files whose data is the same shared_ptr share one data extent on the ISO (a hard link).
struct DriveFile {
  std::string path;  // relative, '/'-separated, e.g. "openstack/latest/user_data"
  std::shared_ptr<const std::string> data;
};

// The files of the drive in a stable order (sorted by path). Takes the content to move the user data, which may
// be megabytes, into the files instead of copying it.
std::vector<DriveFile> layOutDrive(DriveContent content);

// meta_data.json as the OpenStack layout carries it.
std::string openstackMetaData(const DriveContent& content);

// The MD5 of the password as CloudStack writes vm-password-md5checksum.txt: lower-case hex, leading zeros dropped.
std::string cloudstackPasswordChecksum(const std::string& password);

}  // namespace vcd
