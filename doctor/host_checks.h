// What `virt-configdrive doctor` finds on this host: one verdict per check, with what to do. The facts come from
// the files, /proc and the AppArmor profiles here, or from libvirt (gathered by the CLI and passed in).
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "doctor/daemon_process.h"
#include "doctor/hook_installation.h"
#include "host/host_config.h"

namespace vcd {

enum class Verdict { Ok, Note, Problem };

struct CheckRow {
  std::string check;  // "hook installed"
  Verdict verdict = Verdict::Ok;
  std::string detail;  // what was found; for a problem or a note, also what to do
};

// The hook's entry in qemu.d/ exists and resolves to an executable file.
CheckRow checkHookInstalled(const HookInstallation& installation, const std::filesystem::path& hooksDir);

// The AppArmor profiles of libvirtd and virtqemud (those present) let the daemon execute the hook's target.
CheckRow checkHookAllowedByAppArmor(const HookInstallation& installation, const std::filesystem::path& apparmorDir);

// libvirt runs hooks from qemu.d/ since 6.5.0. version: as virConnectGetLibVersion gives it (major * 1000000 + …).
CheckRow checkLibvirtVersion(unsigned long version);

// The running daemon has rescanned its hooks (started, or reloaded) since the hook was installed.
CheckRow checkHookPickedUp(const HookInstallation& installation, const std::optional<DaemonProcess>& daemon,
                           std::optional<FileTime> lastScan);

// The libvirt pool as the CLI found it.
struct PoolState {
  std::string name;
  bool defined = false;
  bool active = false;
  bool autostart = false;
  std::filesystem::path path;  // its <target><path>
};

// The pool is active and at the path where the hook places drives; not defined yet is a note (enable defines it).
CheckRow checkPool(const PoolState& pool, const std::filesystem::path& hookPoolPath);

// config.json is absent or valid; `config` receives what it says (every default when it is absent or invalid).
CheckRow checkHostConfig(const std::filesystem::path& configFile, HostConfig& config);

// secret.key, when it exists, is a regular file, root's, 0600.
CheckRow checkSecretKey(const std::filesystem::path& secretFile);

// The pool's filesystem has room for a drive at the ISO size limit (64 MiB) and a free inode.
CheckRow checkRoom(const std::filesystem::path& poolPath);

// Who qemu runs as: the DAC base label of libvirt's capabilities.
struct QemuUser {
  uid_t uid = 0;
  gid_t gid = 0;
};

// `dynamic_ownership` in qemu.conf (default on): libvirt hands each disk to qemu's user while the VM runs.
bool dynamicOwnership(const std::filesystem::path& qemuConfig);

// qemu's user can reach the pool (search on every directory), and libvirt hands it the 0600 drives
// (dynamic_ownership); a drive already handed over is readable.
CheckRow checkQemuCanReadDrives(const QemuUser& user, const std::filesystem::path& poolPath, bool dynamicOwnership);

}  // namespace vcd
