// The libvirt daemon that runs this host's qemu hooks (libvirtd, or virtqemud on modular hosts), found in /proc.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

namespace vcd {

struct DaemonProcess {
  pid_t pid = 0;
  std::string name;  // libvirtd or virtqemud
  std::chrono::system_clock::time_point startedAt;
};

// When the process started, from /proc/<pid>/stat and the boot time in /proc/stat (1 s precision at worst).
std::optional<std::chrono::system_clock::time_point> processStartTime(const std::filesystem::path& proc, pid_t pid);

// A running libvirtd or virtqemud in this process's mount namespace (a host, for this tool: the lab's hosts are
// namespaces); nullopt when none runs.
std::optional<DaemonProcess> findHookDaemon(const std::filesystem::path& proc = "/proc");

}  // namespace vcd
