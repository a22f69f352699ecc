// The hook as this host's libvirt daemon sees it: its entry, its binary, and the daemon's last rescan.
#include "host/hook_installation.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "host/daemon_process.h"
#include "host/install_layout.h"
#include "util/error.h"
#include "util/file_io.h"

namespace vcd {

namespace {

FileTime fileTime(const struct timespec& time) {
  return FileTime(std::chrono::duration_cast<FileTime::duration>(std::chrono::seconds(time.tv_sec) +
                                                                 std::chrono::nanoseconds(time.tv_nsec)));
}

// What libvirt itself requires of a hook (virFileIsExecutable): a regular file, once resolved, with an x bit.
std::optional<HookEntry> hookEntry(const std::filesystem::path& path) {
  struct stat link {};
  if (::lstat(path.c_str(), &link) != 0) return std::nullopt;
  HookEntry entry;
  entry.path = path;
  entry.installedAt = fileTime(link.st_ctim);
  std::error_code error;
  entry.target = std::filesystem::canonical(path, error);
  if (error) entry.target.clear();
  struct stat resolved {};
  entry.executable = ::stat(path.c_str(), &resolved) == 0 && S_ISREG(resolved.st_mode) && (resolved.st_mode & 0111);
  return entry;
}

std::string scanRecordName(std::string daemonName) {
  for (char& c : daemonName) {
    if (c == '/') c = '_';
  }
  return "hooks-scanned." + daemonName;
}

}  // namespace

HookInstallation inspectHookInstallation(const std::filesystem::path& hooksDir) {
  HookInstallation installation;
  if (std::optional<HookEntry> script = hookEntry(hooksDir / "qemu"); script && script->executable) {
    installation.others.push_back(*script);
  }
  std::error_code error;
  for (const auto& item : std::filesystem::directory_iterator(hooksDir / "qemu.d", error)) {
    std::optional<HookEntry> entry = hookEntry(item.path());
    if (!entry) continue;
    if (item.path().filename() == kHookLinkName) {
      installation.ours = entry;
    } else if (entry->executable) {
      installation.others.push_back(*entry);
    }
  }
  return installation;
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
