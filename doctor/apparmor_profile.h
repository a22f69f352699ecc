// The exec rules of an AppArmor profile (Debian's and Ubuntu's usr.sbin.libvirtd, usr.sbin.virtqemud): whether the
// daemon it confines may execute a path. A symlink is judged by its target, so pass resolved paths.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "util/error.h"

namespace vcd {

struct ExecRule {
  std::string pattern;      // an AARE path pattern: /usr/lib/libvirt/*
  std::string permissions;  // PUxr, rmix, ix…
  bool deny = false;
};

// A file the profile includes without "if exists" is missing: apparmor_parser refuses to load such a profile (on a
// host where libvirt's profile is installed but the apparmor package, which ships the abstractions, is not).
class ProfileIncludeMissing : public Error {
 public:
  using Error::Error;
};

// The exec rules of the profile in `file`: its own and those of the files it includes (<…> relative to
// apparmorDir). Rules of child profiles and hats are theirs, not the daemon's, and are left out. Rules whose
// path holds a variable (@{…}) are left out too. Throws ProfileIncludeMissing naming the include that is missing,
// and Error naming the file that cannot be read.
std::vector<ExecRule> readExecRules(const std::filesystem::path& file, const std::filesystem::path& apparmorDir);

// The allow rule that lets the profile's process execute path, or nullopt when none does or a deny rule forbids it.
std::optional<ExecRule> ruleAllowingExec(const std::vector<ExecRule>& rules, const std::string& path);

// Whether an AppArmor path pattern matches path: * and ? stop at '/', ** does not, [..] and {a,b} as in globs.
bool aareMatches(const std::string& pattern, const std::string& path);

}  // namespace vcd
