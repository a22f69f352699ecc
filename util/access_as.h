// Whether a user may access a path, asked of the kernel itself: a child process takes on the user's uid, gid and
// supplementary groups and calls access(2), so modes, groups and ACLs all count. Needs root.
#pragma once

#include <sys/types.h>

#include <filesystem>

namespace vcd {

// mode as for access(2): R_OK, W_OK, X_OK. Throws Error when the check itself cannot run (not root).
bool accessibleAs(uid_t uid, gid_t gid, const std::filesystem::path& path, int mode);

}  // namespace vcd
