// This host's settings: /etc/virt-configdrive/config.json and the pool path it leads to.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "domain/drive_content_builder.h"

namespace vcd {

// Where this host keeps its settings; tests and the lab point them elsewhere.
struct HostPaths {
  std::filesystem::path configFile = "/etc/virt-configdrive/config.json";
  std::filesystem::path secretFile = "/etc/virt-configdrive/secret.key";
  std::filesystem::path storageDir = "/etc/libvirt/storage";
  std::filesystem::path stateDir = "/var/lib/virt-configdrive";  // placement records and locks: host-local
  std::filesystem::path hooksDir = "/etc/libvirt/hooks";
  std::filesystem::path runtimeDir = "/run/virt-configdrive";  // when the daemon last rescanned its hooks
  std::filesystem::path apparmorDir = "/etc/apparmor.d";
  std::filesystem::path qemuConfig = "/etc/libvirt/qemu.conf";
};

struct HostConfig {
  std::string pool = "configdrive";
  std::filesystem::path poolPath = "/var/lib/libvirt/configdrive";
  bool deleteOnRelease = true;
  DriveDefaults drive;
};

// The keys config.json takes, in the order the man page lists them; any other key is refused.
const std::vector<std::string>& hostConfigKeys();

// Parses config.json text; `source` names it in errors. Unknown keys and wrong types are errors.
HostConfig parseHostConfig(std::string_view text, const std::string& source);

// Reads the config file; a missing file means every default.
HostConfig loadHostConfig(const std::filesystem::path& file);

// The pool's directory: <target><path> of <storageDir>/<pool>.xml when that file exists, else config.poolPath.
std::filesystem::path resolvePoolPath(const HostConfig& config, const std::filesystem::path& storageDir);

}  // namespace vcd
