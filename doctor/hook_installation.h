// The hook as this host's libvirt daemon sees it: the entry in its hook directory and the binary it resolves to.
#pragma once

#include <filesystem>
#include <optional>
#include <vector>

#include "host/hook_scan.h"

namespace vcd {

struct HookEntry {
  std::filesystem::path path;    // <hooks>/qemu.d/virt-configdrive
  std::filesystem::path target;  // what it resolves to; empty when it resolves to nothing
  bool executable = false;       // a regular file with an execute bit, as libvirt requires
  FileTime installedAt;          // the entry's own change time: a new link is a new hook to the daemon
};

struct HookInstallation {
  std::optional<HookEntry> ours;
  // Other executable qemu hooks (hooks/qemu, hooks/qemu.d/*): while one exists, the daemon runs qemu hooks at all.
  std::vector<HookEntry> others;
};

// What <hooksDir> holds for the qemu driver.
HookInstallation inspectHookInstallation(const std::filesystem::path& hooksDir);

}  // namespace vcd
