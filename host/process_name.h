// A process's name, as the kernel gives it: the hook names the daemon it records a rescan for, and a lock's
// holder line names the process that holds it.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>

namespace vcd {

// The process's name as /proc/<pid>/comm gives it ("" when it is gone).
std::string processName(const std::filesystem::path& proc, pid_t pid);

}  // namespace vcd
