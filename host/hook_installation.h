// The hook as this host's libvirt daemon sees it: the entry in its hook directory, the binary it resolves to, and
// when the daemon last rescanned its hooks (libvirt lists them at start and on SIGHUP only).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace vcd {

using FileTime = std::chrono::system_clock::time_point;

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

// Called as the daemon hook at its start and reload: libvirt has just rescanned its hooks. Records that in
// <runtimeDir>/hooks-scanned.<daemon name> (its content: the daemon's pid; its mtime: when).
void recordHookScan(const std::filesystem::path& runtimeDir, pid_t daemonPid);

// When the daemon with this name and pid last recorded a rescan; nullopt when it has not (or another pid did).
std::optional<FileTime> lastHookScan(const std::filesystem::path& runtimeDir, const std::string& daemonName,
                                     pid_t daemonPid);

}  // namespace vcd
