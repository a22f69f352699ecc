// The libvirt daemon that runs this host's qemu hooks, found in /proc.
#include "doctor/daemon_process.h"

#include <unistd.h>

#include <charconv>
#include <limits>
#include <sstream>

#include "host/process_name.h"
#include "util/file_io.h"

namespace vcd {

namespace {

std::optional<long long> bootTime(const std::filesystem::path& proc) {
  std::istringstream stat(readKernelFile(proc / "stat"));
  std::string key;
  long long value = 0;
  while (stat >> key >> value) {
    if (key == "btime") return value;
    stat.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
  }
  return std::nullopt;
}

std::string mountNamespace(const std::filesystem::path& process) {
  std::error_code error;
  std::filesystem::path link = std::filesystem::read_symlink(process / "ns" / "mnt", error);
  return error ? std::string() : link.string();
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> processStartTime(const std::filesystem::path& proc, pid_t pid) {
  std::string stat = readKernelFile(proc / std::to_string(pid) / "stat");
  std::size_t afterName = stat.rfind(')');
  std::optional<long long> boot = bootTime(proc);
  if (afterName == std::string::npos || !boot) return std::nullopt;
  // After "pid (comm)" come the fields from 3 (state) on; starttime is field 22, in clock ticks since boot.
  std::istringstream fields(stat.substr(afterName + 1));
  std::string field;
  for (int number = 3; number <= 22 && fields >> field; ++number) {
    if (number != 22) continue;
    unsigned long long ticks = 0;
    auto [parsedTo, failed] = std::from_chars(field.data(), field.data() + field.size(), ticks);
    if (failed != std::errc() || parsedTo != field.data() + field.size()) return std::nullopt;
    double seconds = static_cast<double>(ticks) / static_cast<double>(::sysconf(_SC_CLK_TCK));
    return std::chrono::system_clock::time_point(std::chrono::seconds(*boot)) +
           std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::duration<double>(seconds));
  }
  return std::nullopt;
}

std::optional<DaemonProcess> findHookDaemon(const std::filesystem::path& proc) {
  std::string ours = mountNamespace(proc / "self");
  std::error_code error;
  for (std::filesystem::directory_iterator entry(proc, error), end; !error && entry != end; entry.increment(error)) {
    const std::string pidText = entry->path().filename().string();
    if (pidText.find_first_not_of("0123456789") != std::string::npos) continue;
    pid_t pid = 0;
    auto [parsedTo, failed] = std::from_chars(pidText.data(), pidText.data() + pidText.size(), pid);
    if (failed != std::errc() || parsedTo != pidText.data() + pidText.size()) continue;
    std::string name = processName(proc, pid);
    if (name != "libvirtd" && name != "virtqemud") continue;
    if (mountNamespace(entry->path()) != ours) continue;
    std::optional<std::chrono::system_clock::time_point> started = processStartTime(proc, pid);
    if (started) return DaemonProcess{pid, name, *started};
  }
  return std::nullopt;
}

}  // namespace vcd
