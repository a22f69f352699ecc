#include "util/file_io.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include <sstream>

#include "tests/test_support.h"
#include "util/error.h"

namespace vcd {
namespace {

using testing::TempDir;

TEST(FileIo, ReadsWholeFile) {
  TempDir dir;
  testing::writeText(dir / "a", std::string("x\0y", 3));
  EXPECT_EQ(readFile(dir / "a"), std::string("x\0y", 3));
}

TEST(FileIo, MissingFileIsAnErrorNamingIt) {
  TempDir dir;
  try {
    readFile(dir / "missing.xml");
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("missing.xml: cannot open"), std::string::npos);
  }
}

TEST(FileIo, ReadIfExistsGivesNulloptForMissingFile) {
  TempDir dir;
  EXPECT_EQ(readFileIfExists(dir / "none"), std::nullopt);
}

TEST(FileIo, RefusesFileLargerThanTheLimit) {
  TempDir dir;
  testing::writeText(dir / "big", std::string(100, 'x'));
  EXPECT_THROW(readFile(dir / "big", 99), Error);
  EXPECT_EQ(readFile(dir / "big", 100).size(), 100u);
}

TEST(FileIo, RefusesDirectory) {
  TempDir dir;
  EXPECT_THROW(readFile(dir.path()), Error);
}

TEST(FileIo, KernelFilesAreReadToTheirEndThoughStatSaysOtherwise) {
  EXPECT_EQ(readKernelFile("/proc/self/comm"), "unit_tests\n");
  std::string mounts = readKernelFile("/proc/self/mounts");
  EXPECT_NE(mounts.find(" / "), std::string::npos);
  EXPECT_GT(mounts.size(), 0u);
  EXPECT_EQ(readKernelFile("/proc/self/no-such-file"), "");
}

TEST(FileIo, AFifoIsRefusedWithoutWaitingForAWriter) {
  testing::TempDir dir;
  ASSERT_EQ(::mkfifo((dir / "config.json").c_str(), 0600), 0);
  try {
    readFileIfExists(dir / "config.json");
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()), (dir / "config.json").string() + ": not a regular file");
  }
}

TEST(FileIo, AStreamLongerThanItsBoundIsAnError) {
  std::istringstream in(std::string(5000, 'x'));
  EXPECT_THROW(readStream(in, 4096, "--password-stdin"), Error);
  std::istringstream small("short");
  EXPECT_EQ(readStream(small, 4096, "--password-stdin"), "short");
}

// What the hook reads its stdin with: a pipe read to its end, over its bound, or failing.
FdContents contentsOfAPipeHolding(const std::string& text, std::size_t maxBytes) {
  int fds[2];
  EXPECT_EQ(::pipe(fds), 0);
  UniqueFd readEnd(fds[0]);
  {
    UniqueFd writeEnd(fds[1]);
    writeAll(writeEnd.get(), text, "the pipe");
  }
  return readFdContents(readEnd.get(), maxBytes);
}

TEST(FileIo, ADescriptorIsReadToItsEndWithinItsBound) {
  FdContents contents = contentsOfAPipeHolding(std::string(5000, 'x'), 5000);
  EXPECT_EQ(contents.end, FdContents::End::Complete);
  EXPECT_EQ(completeContents(std::move(contents), 5000, "stdin"), std::string(5000, 'x'));
}

TEST(FileIo, ADescriptorOverItsBoundKeepsOneByteMoreAndIsAnError) {
  FdContents contents = contentsOfAPipeHolding(std::string(5001, 'x'), 5000);
  EXPECT_EQ(contents.end, FdContents::End::TooLarge);
  EXPECT_EQ(contents.data.size(), 5001u);
  try {
    completeContents(std::move(contents), 5000, "the domain XML on stdin");
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()), "the domain XML on stdin: more than 5000 bytes");
  }
}

TEST(FileIo, ADescriptorThatCannotBeReadIsAnErrorNamingIt) {
  TempDir dir;
  testing::writeText(dir / "f", "x");
  UniqueFd writeOnly(::open((dir / "f").c_str(), O_WRONLY | O_CLOEXEC));
  FdContents contents = readFdContents(writeOnly.get(), 100);
  EXPECT_EQ(contents.end, FdContents::End::Failed);
  EXPECT_EQ(contents.error, EBADF);
  EXPECT_THROW(completeContents(std::move(contents), 100, "stdin"), Error);
}

TEST(FileIo, PathsWithDotComponentsAreTold) {
  EXPECT_TRUE(hasDotComponents("/pool/sub/../x.iso"));
  EXPECT_TRUE(hasDotComponents("/pool/./x.iso"));
  EXPECT_FALSE(hasDotComponents("/pool/x.iso"));
  EXPECT_FALSE(hasDotComponents("/pool/..x/x..iso"));
}

TEST(FileIo, AStateFileWithASecondLinkIsRefused) {
  TempDir dir;
  testing::writeText(dir / "lock", "");
  UniqueFd dirFd(::open(dir.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  UniqueFd fd(::open((dir / "lock").c_str(), O_RDWR | O_CLOEXEC));
  EXPECT_NO_THROW(requireOwnSoleFile(fd.get(), "lock"));
  EXPECT_NO_THROW(requireOwnSoleFileIfPresent(dirFd.get(), "absent", "absent"));
  ASSERT_EQ(::link((dir / "lock").c_str(), (dir / "other").c_str()), 0);
  try {
    requireOwnSoleFile(fd.get(), "lock");
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()),
              "lock: has 2 links (another name for the same file); refusing to write through it");
  }
  EXPECT_THROW(requireOwnSoleFileIfPresent(dirFd.get(), "other", "other"), Error);
  ASSERT_EQ(::symlink("lock", (dir / "link").c_str()), 0);
  EXPECT_THROW(requireOwnSoleFileIfPresent(dirFd.get(), "link", "link"), Error) << "a symlink is not a regular file";
}

}  // namespace
}  // namespace vcd
