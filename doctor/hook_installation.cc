// The hook as this host's libvirt daemon sees it: its entry and its binary.
#include "doctor/hook_installation.h"

#include <sys/stat.h>

#include "host/install_layout.h"

namespace vcd {

namespace {

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

}  // namespace

HookInstallation inspectHookInstallation(const std::filesystem::path& hooksDir) {
  HookInstallation installation;
  if (std::optional<HookEntry> script = hookEntry(hooksDir / "qemu"); script && script->executable) {
    installation.others.push_back(*script);
  }
  std::error_code error;
  // increment(error), not ++: a directory that fails while listed ends the list instead of throwing.
  for (std::filesystem::directory_iterator item(hooksDir / "qemu.d", error), end; !error && item != end;
       item.increment(error)) {
    std::optional<HookEntry> entry = hookEntry(item->path());
    if (!entry) continue;
    if (item->path().filename() == kHookLinkName) {
      installation.ours = entry;
    } else if (entry->executable) {
      installation.others.push_back(*entry);
    }
  }
  return installation;
}

}  // namespace vcd
