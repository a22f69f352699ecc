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
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
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
  return readStream(in);
}

std::string readStream(std::istream& in) {
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
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

UniqueFd openFile(const std::filesystem::path& path, int flags, unsigned mode) {
  UniqueFd fd(::open(path.c_str(), flags | O_CLOEXEC, mode));
  if (!fd.valid()) throwErrno(path.string() + ": cannot open");
  return fd;
}

}  // namespace vcd
