#include "util/file_io.h"

#include <gtest/gtest.h>

#include <sys/stat.h>

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

}  // namespace
}  // namespace vcd
