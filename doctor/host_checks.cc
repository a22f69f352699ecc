// What `virt-configdrive doctor` finds on this host: one verdict per check, with what to do.
#include "doctor/host_checks.h"

#include <pwd.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <ctime>
#include <sstream>

#include "doctor/apparmor_profile.h"
#include "host/install_layout.h"
#include "host/pool_directory.h"
#include "iso/iso_writer.h"
#include "util/access_as.h"
#include "util/error.h"
#include "util/file_io.h"

namespace vcd {

namespace {

constexpr unsigned long kFirstLibvirtWithHookDirs = 6005000;  // 6.5.0: qemu.d/ and daemon.d/

CheckRow ok(const std::string& check, const std::string& detail) { return {check, Verdict::Ok, detail}; }
CheckRow note(const std::string& check, const std::string& detail) { return {check, Verdict::Note, detail}; }
CheckRow problem(const std::string& check, const std::string& detail) { return {check, Verdict::Problem, detail}; }

std::string timeText(FileTime time) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &utc);
  return text;
}

std::string versionText(unsigned long version) {
  return std::to_string(version / 1000000) + "." + std::to_string(version / 1000 % 1000) + "." +
         std::to_string(version % 1000);
}

std::string userText(const QemuUser& user) {
  struct passwd* entry = ::getpwuid(user.uid);
  std::string name = entry != nullptr ? entry->pw_name : "uid " + std::to_string(user.uid);
  return name + " (" + std::to_string(user.uid) + ":" + std::to_string(user.gid) + ")";
}

bool apparmorEnabled() { return readKernelFile("/sys/module/apparmor/parameters/enabled").rfind('Y', 0) == 0; }

// The first directory on the way to path that the user may not search, or "" when every one lets it.
std::filesystem::path firstClosedDirectory(const QemuUser& user, const std::filesystem::path& path) {
  std::filesystem::path walked = path.root_path();
  for (const auto& part : path.relative_path()) {
    walked /= part;
    if (!accessibleAs(user.uid, user.gid, walked, X_OK)) return walked;
  }
  return {};
}

}  // namespace

CheckRow checkHookInstalled(const HookInstallation& installation, const std::filesystem::path& hooksDir) {
  const std::string check = "hook installed";
  if (!installation.ours) {
    return problem(check, (hooksDir / "qemu.d" / kHookLinkName).string() +
                              " is missing: install the virt-configdrive package (it links it to " + kHookPath + ")");
  }
  const HookEntry& hook = *installation.ours;
  std::string target = hook.target.empty() ? std::string("nothing") : hook.target.string();
  if (!hook.executable) {
    return problem(check, hook.path.string() + " -> " + target +
                              ": not an executable file, so libvirt skips it: apt-get install --reinstall "
                              "virt-configdrive");
  }
  return ok(check, hook.path.string() + " -> " + target);
}

CheckRow checkHookAllowedByAppArmor(const HookInstallation& installation, const std::filesystem::path& apparmorDir) {
  const std::string check = "hook allowed by AppArmor";
  if (!installation.ours || installation.ours->target.empty()) return note(check, "no hook binary to check");
  const std::string target = installation.ours->target.string();
  const std::string state = apparmorEnabled() ? "AppArmor is enabled" : "AppArmor is not enabled on this kernel";
  std::vector<std::string> allowedBy;
  for (const char* profile : {"usr.sbin.libvirtd", "usr.sbin.virtqemud"}) {
    std::filesystem::path file = apparmorDir / profile;
    std::error_code error;
    bool present = std::filesystem::exists(file, error);
    if (error) return problem(check, "reading the profile: " + file.string() + ": " + error.message());
    if (!present) continue;
    std::optional<ExecRule> rule;
    try {
      rule = ruleAllowingExec(readExecRules(file, apparmorDir), target);
    } catch (const ProfileIncludeMissing& missing) {
      return note(check, std::string(missing.what()) + ": AppArmor cannot load " + file.string() +
                             ", so it confines nothing (is the apparmor package installed?)");
    } catch (const Error& error) {
      return problem(check, std::string("reading the profile: ") + error.what());
    }
    if (!rule) {
      return problem(check, file.string() + " does not let the daemon execute " + target +
                                " (a symlink counts as its target), so every VM start on this host would fail (" +
                                state + "): install the hook at " + kHookPath + ", as the package does");
    }
    allowedBy.push_back(std::string(profile) + " (" + rule->pattern + " " + rule->permissions + ")");
  }
  if (allowedBy.empty()) {
    return note(check, "no AppArmor profile for libvirtd or virtqemud in " + apparmorDir.string() + " (" + state + ")");
  }
  std::string detail = target + " is allowed by";
  for (const std::string& by : allowedBy) detail += " " + by;
  return ok(check, detail + "; " + state);
}

CheckRow checkLibvirtVersion(unsigned long version) {
  const std::string check = "libvirt version";
  if (version < kFirstLibvirtWithHookDirs) {
    return problem(check, "the daemon runs libvirt " + versionText(version) + ", which runs no hooks from qemu.d/ (" +
                              versionText(kFirstLibvirtWithHookDirs) + " and later do): upgrade libvirt");
  }
  return ok(check, versionText(version) + " (hooks from qemu.d/ since " + versionText(kFirstLibvirtWithHookDirs) + ")");
}

CheckRow checkHookPickedUp(const HookInstallation& installation, const std::optional<DaemonProcess>& daemon,
                           std::optional<FileTime> lastScan) {
  const std::string check = "hook picked up";
  if (!installation.ours) return note(check, "no hook to pick up");
  if (!daemon) return note(check, "no libvirtd or virtqemud runs here; it picks the hook up when it starts");
  const std::string who = daemon->name + " (pid " + std::to_string(daemon->pid) + ")";
  FileTime scanned = std::max(daemon->startedAt, lastScan.value_or(FileTime::min()));
  if (installation.ours->installedAt <= scanned) {
    return ok(check, who + " listed its hooks at " + timeText(scanned) + ", after the hook was installed");
  }
  for (const HookEntry& other : installation.others) {
    if (other.installedAt <= scanned) {
      return ok(check,
                who + " already ran qemu hooks (" + other.path.string() + "), and it lists qemu.d/ anew at every call");
    }
  }
  return problem(check, who + " last listed its hooks at " + timeText(scanned) + ", before the hook was installed (" +
                            timeText(installation.ours->installedAt) + "), so it does not run it: systemctl reload " +
                            daemon->name);
}

CheckRow checkPool(const PoolState& pool, const std::filesystem::path& hookPoolPath) {
  const std::string check = "pool";
  if (!pool.defined) {
    return note(check, "no storage pool '" + pool.name + "' yet: the first virt-configdrive enable defines it at " +
                           hookPoolPath.string());
  }
  if (!pool.path.is_absolute() || PoolDirectory(pool.path, {}).path() != PoolDirectory(hookPoolPath, {}).path()) {
    return problem(check, "pool '" + pool.name + "' is at " + pool.path.string() + ", but the hook places drives at " +
                              hookPoolPath.string() + ": make pool_path in config.json and the pool's target agree");
  }
  if (!pool.active) {
    return problem(check, "pool '" + pool.name + "' is not active: virsh pool-start " + pool.name +
                              " && virsh pool-autostart " + pool.name);
  }
  if (!pool.autostart) {
    return note(check, "pool '" + pool.name + "' at " + pool.path.string() +
                           " is active but will not be after a reboot: virsh pool-autostart " + pool.name);
  }
  return ok(check, "'" + pool.name + "' at " + pool.path.string() + ": active, autostarted");
}

CheckRow checkHostConfig(const std::filesystem::path& configFile, HostConfig& config) {
  const std::string check = "config.json";
  config = HostConfig{};
  std::error_code error;
  if (!std::filesystem::exists(configFile, error) && !error) {
    return ok(check, configFile.string() + " is absent: every default holds");
  }
  try {
    config = loadHostConfig(configFile);
  } catch (const Error& error) {
    return problem(check, std::string(error.what()) + ": fix it, or every start of a VM with a config drive fails");
  }
  return ok(check, configFile.string() + " is valid");
}

CheckRow checkSecretKey(const std::filesystem::path& secretFile) {
  const std::string check = "secret.key";
  struct stat st {};
  if (::lstat(secretFile.c_str(), &st) != 0) {
    return note(check, secretFile.string() +
                           " does not exist yet: the first --password-stdin creates it (copy it "
                           "to every host VMs migrate between)");
  }
  const std::string fix = ": chown root:root " + secretFile.string() + " && chmod 0600 " + secretFile.string();
  if (!S_ISREG(st.st_mode)) return problem(check, secretFile.string() + " is not a regular file");
  if (st.st_uid != 0) {
    return problem(check, secretFile.string() + " is owned by uid " + std::to_string(st.st_uid) +
                              ", who can read every sealed password" + fix);
  }
  if ((st.st_mode & 07777) != 0600) {
    std::ostringstream mode;
    mode << std::oct << (st.st_mode & 07777);
    return problem(check, secretFile.string() + " has mode 0" + mode.str() + ", not 0600" + fix);
  }
  return ok(check, secretFile.string() + ": root's, 0600");
}

CheckRow checkRoom(const std::filesystem::path& poolPath) {
  const std::string check = "room in pool";
  std::filesystem::path existing = poolPath;
  std::error_code error;
  while (!std::filesystem::exists(existing, error) && existing.has_relative_path()) existing = existing.parent_path();
  struct statvfs fs {};
  if (::statvfs(existing.c_str(), &fs) != 0) return problem(check, existing.string() + ": cannot statvfs");
  unsigned long long freeBytes = static_cast<unsigned long long>(fs.f_bavail) * fs.f_frsize;
  std::string mib = std::to_string(freeBytes >> 20) + " MiB free";
  if (freeBytes < kMaxIsoBytes) {
    return problem(check, existing.string() + ": " + mib + ", less than a drive may take (" +
                              std::to_string(kMaxIsoBytes >> 20) + " MiB): free some space");
  }
  if (fs.f_files != 0 && fs.f_favail == 0) return problem(check, existing.string() + ": no free inode left");
  return ok(check, existing.string() + ": " + mib);
}

bool dynamicOwnership(const std::filesystem::path& qemuConfig) {
  std::optional<std::string> text = readFileIfExists(qemuConfig, 1u << 20);
  bool enabled = true;
  std::istringstream lines(text.value_or(""));
  for (std::string line; std::getline(lines, line);) {
    line = line.substr(0, line.find('#'));
    std::size_t equals = line.find('=');
    if (equals == std::string::npos) continue;
    std::istringstream key(line.substr(0, equals)), value(line.substr(equals + 1));
    std::string name, setting;
    if (key >> name && name == "dynamic_ownership" && value >> setting) enabled = setting != "0";
  }
  return enabled;
}

CheckRow checkQemuCanReadDrives(const QemuUser& user, const std::filesystem::path& poolPath, bool dynamicOwnership) {
  const std::string check = "qemu can read drives";
  if (user.uid == 0) return ok(check, "qemu runs as root");
  const std::string who = userText(user);
  if (std::filesystem::path closed = firstClosedDirectory(user, poolPath); !closed.empty()) {
    return problem(check, who + " cannot search " + closed.string() + " on the way to " + poolPath.string() +
                              ", so qemu cannot open any drive: chmod o+x " + closed.string());
  }
  if (!dynamicOwnership) {
    return problem(check, "dynamic_ownership = 0 in qemu.conf: libvirt does not hand the drives (0600, root's) to " +
                              who + ", which cannot read them: set dynamic_ownership = 1");
  }
  std::error_code error;
  for (std::filesystem::directory_iterator item(poolPath, error), end; !error && item != end; item.increment(error)) {
    const std::filesystem::directory_entry& entry = *item;
    struct stat st {};
    if (entry.path().extension() != ".iso" || ::stat(entry.path().c_str(), &st) != 0 || st.st_uid != user.uid) {
      continue;
    }
    if (!accessibleAs(user.uid, user.gid, entry.path(), R_OK)) {
      return problem(check, who + " cannot read " + entry.path().string() + ", a drive libvirt handed to it");
    }
  }
  return ok(check, who + " can reach " + poolPath.string() + "; libvirt hands it each drive while its VM runs");
}

}  // namespace vcd
