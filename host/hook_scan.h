// The daemon's rescans of its hooks (libvirt lists them at start and on SIGHUP only): the daemon hook records
// each one, and doctor reads the record to tell whether the running daemon has picked the hook up.
#pragma once

#include <sys/types.h>
#include <time.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

namespace vcd {

using FileTime = std::chrono::system_clock::time_point;

// A file time (st_mtim, st_ctim) as a clock time.
FileTime fileTime(const struct timespec& time);

// Called as the daemon hook at its start and reload: libvirt has just rescanned its hooks. Records that in
// <runtimeDir>/hooks-scanned.<daemon name> (its content: the daemon's pid; its mtime: when).
void recordHookScan(const std::filesystem::path& runtimeDir, pid_t daemonPid);

// When the daemon with this name and pid last recorded a rescan; nullopt when it has not (or another pid did).
std::optional<FileTime> lastHookScan(const std::filesystem::path& runtimeDir, const std::string& daemonName,
                                     pid_t daemonPid);

}  // namespace vcd
