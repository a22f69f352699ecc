// The daemon's rescans of its hooks, recorded by the daemon hook.
#include "host/hook_scan.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "host/process_name.h"
#include "util/error.h"
#include "util/file_io.h"

namespace vcd {

namespace {

std::string scanRecordName(std::string daemonName) {
  for (char& c : daemonName) {
    if (c == '/') c = '_';
  }
  return "hooks-scanned." + daemonName;
}

}  // namespace

FileTime fileTime(const struct timespec& time) {
  return FileTime(std::chrono::duration_cast<FileTime::duration>(std::chrono::seconds(time.tv_sec) +
                                                                 std::chrono::nanoseconds(time.tv_nsec)));
}

void recordHookScan(const std::filesystem::path& runtimeDir, pid_t daemonPid) {
  std::string name = processName("/proc", daemonPid);
  if (name.empty()) throw Error("the daemon (pid " + std::to_string(daemonPid) + ") is gone");
  if (::mkdir(runtimeDir.c_str(), 0755) != 0 && errno != EEXIST) throwErrno(runtimeDir.string() + ": cannot create");
  UniqueFd dir = openFile(runtimeDir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  std::string record = scanRecordName(name);
  std::string staging = record + ".new";
  UniqueFd fd = createFreshFileAt(dir.get(), staging, 0644, (runtimeDir / staging).string());
  writeAll(fd.get(), std::to_string(daemonPid) + "\n", (runtimeDir / staging).string());
  if (::renameat(dir.get(), staging.c_str(), dir.get(), record.c_str()) != 0) {
    throwErrno((runtimeDir / record).string() + ": cannot replace");
  }
}

std::optional<FileTime> lastHookScan(const std::filesystem::path& runtimeDir, const std::string& daemonName,
                                     pid_t daemonPid) {
  std::filesystem::path record = runtimeDir / scanRecordName(daemonName);
  std::optional<std::string> pid = readFileIfExists(record, 64);
  if (!pid || *pid != std::to_string(daemonPid) + "\n") return std::nullopt;
  struct stat st {};
  if (::stat(record.c_str(), &st) != 0) return std::nullopt;
  return fileTime(st.st_mtim);
}

}  // namespace vcd
