// Whole-file reads and writes with errors that name the file.
#include "util/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <iterator>

#include "util/error.h"

namespace vcd {

namespace {

std::optional<std::string> readRegularFile(const std::filesystem::path& path, std::size_t maxBytes,
                                           bool missingIsError) {
  // O_NONBLOCK: opening a FIFO planted there must not wait for a writer; a regular file reads as ever.
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
  if (!fd.valid()) {
    if (errno == ENOENT && !missingIsError) return std::nullopt;
    throwErrno(path.string() + ": cannot open");
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) throwErrno(path.string() + ": cannot stat");
  if (!S_ISREG(st.st_mode)) throw Error(path.string() + ": not a regular file");
  if (static_cast<std::size_t>(st.st_size) > maxBytes) {
    throw Error(path.string() + ": " + std::to_string(st.st_size) + " bytes, more than the " +
                std::to_string(maxBytes) + " allowed");
  }
  std::string data(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::read(fd.get(), data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throwErrno(path.string() + ": cannot read");
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  data.resize(done);
  return data;
}

}  // namespace

std::string readFile(const std::filesystem::path& path, std::size_t maxBytes) {
  return *readRegularFile(path, maxBytes, true);
}

std::optional<std::string> readFileIfExists(const std::filesystem::path& path, std::size_t maxBytes) {
  return readRegularFile(path, maxBytes, false);
}

std::string readKernelFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  try {
    return readStream(in, 1u << 20, path.string());
  } catch (const Error&) {
    return std::string();
  }
}

std::string readStream(std::istream& in, std::size_t maxBytes, const std::string& what) {
  std::string data;
  char buffer[65536];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    data.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (data.size() > maxBytes) throw Error(what + ": more than " + std::to_string(maxBytes) + " bytes");
  }
  return data;
}

FdContents readFdContents(int fd, std::size_t maxBytes) {
  FdContents contents;
  // Read into the stack, whose pages only what read(2) writes touches, rather than into zero-filled string space:
  // a few kilobytes of XML then cost the hook two pages, not sixteen.
  char buffer[64u << 10];
  while (true) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      contents.end = FdContents::End::Failed;
      contents.error = errno;
      return contents;
    }
    if (n == 0) return contents;
    contents.data.append(buffer, static_cast<std::size_t>(n));
    if (contents.data.size() > maxBytes) {
      contents.data.resize(maxBytes + 1);
      contents.end = FdContents::End::TooLarge;
      return contents;
    }
  }
}

std::string completeContents(FdContents contents, std::size_t maxBytes, const std::string& what) {
  if (contents.end == FdContents::End::TooLarge) {
    throw Error(what + ": more than " + std::to_string(maxBytes) + " bytes");
  }
  if (contents.end == FdContents::End::Failed) throwSystemError(what + ": cannot read", contents.error);
  return std::move(contents.data);
}

void writeAll(int fd, const std::string& data, const std::string& what) {
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throwErrno(what + ": cannot write");
    done += static_cast<std::size_t>(n);
  }
}

UniqueFd createFreshFileAt(int dirFd, const std::string& name, unsigned mode, const std::string& path) {
  if (::unlinkat(dirFd, name.c_str(), 0) != 0 && errno != ENOENT) throwErrno(path + ": cannot remove");
  UniqueFd fd(::openat(dirFd, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
  if (!fd.valid()) throwErrno(path + ": cannot create");
  return fd;
}

bool hasDotComponents(const std::filesystem::path& path) {
  for (const std::filesystem::path& part : path) {
    if (part == "." || part == "..") return true;
  }
  return false;
}

namespace {

void requireOwnSole(const struct stat& st, const std::string& path) {
  if (!S_ISREG(st.st_mode)) throw Error(path + ": is not a regular file; refusing to use it");
  if (st.st_nlink != 1) {
    throw Error(path + ": has " + std::to_string(st.st_nlink) +
                " links (another name for the same file); refusing to write through it");
  }
  if (st.st_uid != ::geteuid()) {
    throw Error(path + ": owned by uid " + std::to_string(st.st_uid) + ", not " + std::to_string(::geteuid()) +
                "; refusing a file another user controls");
  }
}

}  // namespace

void requireOwnSoleFile(int fd, const std::string& path) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) throwErrno(path + ": cannot stat");
  requireOwnSole(st, path);
}

void requireOwnSoleFileIfPresent(int dirFd, const std::string& name, const std::string& path) {
  struct stat st {};
  if (::fstatat(dirFd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) return;
    throwErrno(path + ": cannot stat");
  }
  requireOwnSole(st, path);
}

void requirePrivateDirectory(int fd, const std::string& path) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) throwErrno(path + ": cannot stat");
  if (st.st_uid != ::geteuid()) {
    throw Error(path + ": owned by uid " + std::to_string(st.st_uid) + ", not " + std::to_string(::geteuid()) +
                "; refusing a directory another user controls");
  }
  if ((st.st_mode & 022) != 0) throw Error(path + ": writable by group or others; refusing it (chmod go-w it)");
}

UniqueFd openPrivateDirectory(const std::filesystem::path& path) {
  if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) throwErrno(path.string() + ": cannot create");
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.valid()) throwErrno(path.string() + ": cannot open as a directory (a symlink there is refused)");
  requirePrivateDirectory(fd.get(), path.string());
  return fd;
}

UniqueFd openFile(const std::filesystem::path& path, int flags, unsigned mode) {
  UniqueFd fd(::open(path.c_str(), flags | O_CLOEXEC, mode));
  if (!fd.valid()) throwErrno(path.string() + ": cannot open");
  return fd;
}

}  // namespace vcd
