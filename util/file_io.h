// Whole-file reads and writes with errors that name the file.
#pragma once

#include <cstddef>
#include <filesystem>
#include <istream>
#include <optional>
#include <string>

#include "util/unique_fd.h"

namespace vcd {

// Reads a regular file (never waiting on a FIFO or device there); throws Error naming the path when it cannot,
// when it is not a regular file, or when it is larger than maxBytes.
std::string readFile(const std::filesystem::path& path, std::size_t maxBytes = 64u << 20);

// Like readFile, but returns nullopt when the file does not exist.
std::optional<std::string> readFileIfExists(const std::filesystem::path& path, std::size_t maxBytes = 64u << 20);

// Reads a file of /proc or /sys, whose size stat(2) does not tell, to its end (at most 1 MiB); "" when it cannot
// be read.
std::string readKernelFile(const std::filesystem::path& path);

// Reads a stream to its end (stdin of the CLI); Error naming `what` when it holds more than maxBytes.
std::string readStream(std::istream& in, std::size_t maxBytes, const std::string& what);

// A descriptor read to its end, or as far as it went: all of it, more than the bound (the first maxBytes + 1
// bytes kept), or a read(2) error.
struct FdContents {
  enum class End { Complete, TooLarge, Failed };
  std::string data;
  End end = End::Complete;
  int error = 0;  // errno, when Failed
};

// Reads fd to its end with read(2), keeping at most maxBytes + 1 bytes. Throws nothing but bad_alloc, and uses
// nothing a static initialiser sets up: it may run before the C++ runtime has started (the hook runs it there).
FdContents readFdContents(int fd, std::size_t maxBytes);

// The data of a complete read; Error naming `what` when it was more than maxBytes or failed.
std::string completeContents(FdContents contents, std::size_t maxBytes, const std::string& what);

// Writes all of data to fd; `what` names the file in errors.
void writeAll(int fd, const std::string& data, const std::string& what);

// Opens path with open(2) flags; throws Error naming the path.
UniqueFd openFile(const std::filesystem::path& path, int flags, unsigned mode = 0);

// Creates `name` in the directory dirFd anew: a leftover of that name (a crashed run's, or a link someone planted) is
// removed first, then O_CREAT|O_EXCL|O_NOFOLLOW, so nothing is ever written through an existing file. `path` names
// it in errors.
UniqueFd createFreshFileAt(int dirFd, const std::string& name, unsigned mode, const std::string& path);

// Whether path has a "." or ".." component: such a path names a file only once the kernel has walked it (through
// whatever symlinks it meets), so it is never compared on paper.
bool hasDotComponents(const std::filesystem::path& path);

// A state file (a lock, a placement record) is written in place or trusted: only a regular file of the effective
// user with a single link is. Refuses (Error naming `path` and why) what the file descriptor fd is otherwise.
void requireOwnSoleFile(int fd, const std::string& path);

// The same for the entry `name` of the directory dirFd, not followed when it is a symlink; nothing when it is
// absent.
void requireOwnSoleFileIfPresent(int dirFd, const std::string& name, const std::string& path);

// Refuses (Error naming `path` and why) the directory fd when another user could change it: owned by another uid
// than the effective one, or writable by group or others.
void requirePrivateDirectory(int fd, const std::string& path);

// Opens (creating when missing, 0700) a directory only this process's user may change: not a symlink, owned by
// the effective uid, writable by neither group nor others. Whoever else could write there could swap the files
// written in it; such a directory is refused with an Error naming it and why.
UniqueFd openPrivateDirectory(const std::filesystem::path& path);

}  // namespace vcd
