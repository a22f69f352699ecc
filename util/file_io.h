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

// Reads a stream to its end (stdin of the hook and the CLI); Error naming `what` when it holds more than maxBytes.
std::string readStream(std::istream& in, std::size_t maxBytes, const std::string& what);

// Writes all of data to fd; `what` names the file in errors.
void writeAll(int fd, const std::string& data, const std::string& what);

// Opens path with open(2) flags; throws Error naming the path.
UniqueFd openFile(const std::filesystem::path& path, int flags, unsigned mode = 0);

// Creates `name` in the directory dirFd anew: a leftover of that name (a crashed run's, or a link someone planted) is
// removed first, then O_CREAT|O_EXCL|O_NOFOLLOW, so nothing is ever written through an existing file. `path` names
// it in errors.
UniqueFd createFreshFileAt(int dirFd, const std::string& name, unsigned mode, const std::string& path);

// Opens (creating when missing, 0700) a directory only this process's user may change: not a symlink, owned by
// the effective uid, writable by neither group nor others. Whoever else could write there could swap the files
// written in it; such a directory is refused with an Error naming it and why.
UniqueFd openPrivateDirectory(const std::filesystem::path& path);

}  // namespace vcd
