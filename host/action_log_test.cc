#include "host/action_log.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <string>

#include "tests/test_support.h"
#include "util/unique_fd.h"

namespace vcd {
namespace {

using testing::TempDir;

// JOURNAL_STREAM set to `value` for the test's lifetime, unset again after.
class JournalStreamVariable {
 public:
  explicit JournalStreamVariable(const std::string& value) { ::setenv("JOURNAL_STREAM", value.c_str(), 1); }
  ~JournalStreamVariable() { ::unsetenv("JOURNAL_STREAM"); }
};

std::string deviceAndInode(int fd) {
  struct stat status {};
  EXPECT_EQ(::fstat(fd, &status), 0);
  return std::to_string(status.st_dev) + ":" + std::to_string(status.st_ino);
}

class JournalStream : public ::testing::Test {
 protected:
  TempDir dir;
  UniqueFd journal{::open((dir / "journal").c_str(), O_CREAT | O_WRONLY, 0600)};
  UniqueFd other{::open((dir / "other").c_str(), O_CREAT | O_WRONLY, 0600)};
};

TEST_F(JournalStream, IsTheFileSystemdNamed) {
  JournalStreamVariable variable(deviceAndInode(journal.get()));
  EXPECT_TRUE(isJournalStream(journal.get()));
  EXPECT_FALSE(isJournalStream(other.get()));
}

TEST_F(JournalStream, IsNoneWithoutTheVariable) {
  ::unsetenv("JOURNAL_STREAM");
  EXPECT_FALSE(isJournalStream(journal.get()));
}

TEST_F(JournalStream, IsNoneWhenTheVariableIsMalformedOrTheFdClosed) {
  std::string named = deviceAndInode(journal.get());
  for (const std::string& value :
       {std::string(""), std::string(":"), named + "x", "x" + named, named.substr(0, named.find(':'))}) {
    JournalStreamVariable variable(value);
    EXPECT_FALSE(isJournalStream(journal.get())) << "JOURNAL_STREAM=" << value;
  }
  JournalStreamVariable variable(named);
  EXPECT_FALSE(isJournalStream(-1));
}

}  // namespace
}  // namespace vcd
