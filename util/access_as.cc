// Whether a user may access a path, asked of the kernel from a child process that has become that user.
#include "util/access_as.h"

#include <grp.h>
#include <pwd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "util/error.h"

namespace vcd {

namespace {

std::vector<gid_t> groupsOf(uid_t uid, gid_t gid) {
  std::vector<gid_t> groups{gid};
  struct passwd* user = ::getpwuid(uid);
  if (user == nullptr) return groups;
  int count = 64;
  groups.resize(static_cast<std::size_t>(count));
  while (::getgrouplist(user->pw_name, gid, groups.data(), &count) < 0) {
    groups.resize(static_cast<std::size_t>(count));
  }
  groups.resize(static_cast<std::size_t>(count));
  return groups;
}

}  // namespace

bool accessibleAs(uid_t uid, gid_t gid, const std::filesystem::path& path, int mode) {
  if (::geteuid() != 0) throw Error("checking access as uid " + std::to_string(uid) + " needs root");
  std::vector<gid_t> groups = groupsOf(uid, gid);
  pid_t child = ::fork();
  if (child < 0) throwErrno("checking access as uid " + std::to_string(uid));
  if (child == 0) {
    // Only async-signal-safe calls here: the parent may have threads.
    bool becameUser = ::setgroups(groups.size(), groups.data()) == 0 && ::setgid(gid) == 0 && ::setuid(uid) == 0;
    ::_exit(!becameUser ? 2 : ::access(path.c_str(), mode) == 0 ? 0 : 1);
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0) {
    if (errno != EINTR) throwErrno("checking access as uid " + std::to_string(uid));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) == 2) {
    throw Error("checking access as uid " + std::to_string(uid) + ": could not become that user");
  }
  return WEXITSTATUS(status) == 0;
}

}  // namespace vcd
