#include "host/iso_placement.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host/domain_lock.h"
#include "tests/test_support.h"
#include "util/error.h"
#include "util/file_io.h"

namespace vcd {
namespace {

using testing::kTestUuid;
using testing::TempDir;

ino_t inodeOf(const std::filesystem::path& path) {
  struct stat st {};
  EXPECT_EQ(::lstat(path.c_str(), &st), 0);
  return st.st_ino;
}

TEST(IsoPlacement, PlacesTheIsoAtPoolUuidIsoReadableOnlyByOwner) {
  TempDir dir;
  PoolDirectory pool(dir / "pool", dir / "state");
  EXPECT_EQ(placeIso(pool, kTestUuid, "iso-bytes", Replace::KeepIdentical), Placement::Placed);
  EXPECT_EQ(readFile(pool.isoPath(kTestUuid)), "iso-bytes");
  struct stat st {};
  ASSERT_EQ(::stat(pool.isoPath(kTestUuid).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(pool.stagingDir(), dir / ".virt-configdrive");
  EXPECT_EQ(pool.stateDir(), dir / "state");
}

TEST(IsoPlacement, LeavesIdenticalIsoUntouched) {
  TempDir dir;
  PoolDirectory pool(dir / "pool", dir / "state");
  placeIso(pool, kTestUuid, "same", Replace::KeepIdentical);
  ino_t before = inodeOf(pool.isoPath(kTestUuid));
  EXPECT_EQ(placeIso(pool, kTestUuid, "same", Replace::KeepIdentical), Placement::LeftIdentical);
  EXPECT_EQ(inodeOf(pool.isoPath(kTestUuid)), before);
}

// A restart with the same data writes nothing: the record already names the file.
TEST(IsoPlacement, AnIdenticalDriveKeepsItsRecordUnlessItNamesAnotherFile) {
  TempDir dir;
  PoolDirectory pool(dir / "pool", dir / "state");
  placeIso(pool, kTestUuid, "same", Replace::KeepIdentical);
  const std::filesystem::path record = pool.stateDir() / (std::string(kTestUuid) + ".placed");
  ino_t recordBefore = inodeOf(record);
  EXPECT_EQ(placeIso(pool, kTestUuid, "same", Replace::KeepIdentical), Placement::LeftIdentical);
  EXPECT_EQ(inodeOf(record), recordBefore);

  testing::writeText(record, "1 2\n");
  EXPECT_EQ(placeIso(pool, kTestUuid, "same", Replace::KeepIdentical), Placement::LeftIdentical);
  EXPECT_EQ(removeIsoIfPlacedHere(pool, kTestUuid), Release::Removed);
}

TEST(IsoPlacement, AlwaysPlacesAFreshFileWhenAsked) {
  TempDir dir;
  PoolDirectory pool(dir / "pool", dir / "state");
  placeIso(pool, kTestUuid, "same", Replace::KeepIdentical);
  ino_t before = inodeOf(pool.isoPath(kTestUuid));
  EXPECT_EQ(placeIso(pool, kTestUuid, "same", Replace::Always), Placement::Placed);
  EXPECT_NE(inodeOf(pool.isoPath(kTestUuid)), before);
}

TEST(IsoPlacement, ReplacesChangedIso) {
  TempDir dir;
  PoolDirectory pool(dir / "pool", dir / "state");
  placeIso(pool, kTestUuid, "old", Replace::KeepIdentical);
  EXPECT_EQ(placeIso(pool, kTestUuid, "new", Replace::KeepIdentical), Placement::Placed);
  EXPECT_EQ(readFile(pool.isoPath(kTestUuid)), "new");
}

TEST(IsoPlacement, RefusesASymlinkAndLeavesItsTargetAlone) {
  TempDir dir;
  PoolDirectory pool(dir / "pool", dir / "state");
  std::filesystem::create_directories(pool.path());
  testing::writeText(dir / "precious", "keep me");
  std::filesystem::create_symlink(dir / "precious", pool.isoPath(kTestUuid));
  try {
    placeIso(pool, kTestUuid, "iso", Replace::Always);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()), pool.isoPath(kTestUuid).string() + ": is a symlink; refusing to replace it");
  }
  EXPECT_EQ(readFile(dir / "precious"), "keep me");
  EXPECT_TRUE(std::filesystem::is_symlink(pool.isoPath(kTestUuid)));
  EXPECT_FALSE(std::filesystem::exists(pool.stateDir() / (std::string(kTestUuid) + ".placed")));
}

TEST(IsoPlacement, RefusesSymlinkedStagingAndStateDirectories) {
  TempDir dir;
  std::filesystem::create_directories(dir / "elsewhere");
  std::filesystem::create_directory_symlink(dir / "elsewhere", dir / ".virt-configdrive");
  std::filesystem::create_directory_symlink(dir / "elsewhere", dir / "state");
  PoolDirectory pool(dir / "pool", dir / "state");
  EXPECT_THROW(placeIso(pool, kTestUuid, "iso", Replace::Always), Error);
  EXPECT_THROW(DomainLock::acquire(pool, kTestUuid), Error);
  EXPECT_TRUE(std::filesystem::is_empty(dir / "elsewhere"));
}

TEST(IsoPlacement, CleansStagingDebrisOfACrashedRun) {
  TempDir dir;
  PoolDirectory pool(dir / "pool", dir / "state");
  std::filesystem::create_directories(pool.stagingDir());
  std::filesystem::path debris = pool.stagingDir() / (std::string(kTestUuid) + ".iso.staging");
  testing::writeText(debris, "torn");
  placeIso(pool, kTestUuid, "whole", Replace::KeepIdentical);
  EXPECT_FALSE(std::filesystem::exists(debris));
  EXPECT_EQ(readFile(pool.isoPath(kTestUuid)), "whole");
}

TEST(IsoPlacement, PoolPathWithTrailingSlashKeepsStagingBesideThePool) {
  TempDir dir;
  PoolDirectory pool((dir / "pool").string() + "/", dir / "state");
  EXPECT_EQ(pool.path(), dir / "pool");
  EXPECT_EQ(pool.stagingDir(), dir / ".virt-configdrive");
}

TEST(IsoPlacement, RootIsNoPool) { EXPECT_THROW(PoolDirectory("/", "/tmp/state"), Error); }

// Whoever can write the staging or state directory could swap a file between its write and its rename.
TEST(IsoPlacement, DirectoriesAnotherUserCouldChangeAreRefused) {
  TempDir dir;
  PoolDirectory pool(dir / "pool", dir / "state");
  std::filesystem::create_directories(pool.stagingDir());
  ::chmod(pool.stagingDir().c_str(), 0777);
  try {
    placeIso(pool, kTestUuid, "iso", Replace::Always);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()),
              pool.stagingDir().string() + ": writable by group or others; refusing it (chmod go-w it)");
  }
  ::chmod(pool.stagingDir().c_str(), 0700);
  std::filesystem::create_directories(pool.stateDir());
  ASSERT_EQ(::chown(pool.stateDir().c_str(), 65534, 65534), 0);
  try {
    placeIso(pool, kTestUuid, "iso", Replace::Always);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find(pool.stateDir().string() + ": owned by uid 65534"), std::string::npos)
        << error.what();
  }
  EXPECT_FALSE(std::filesystem::exists(pool.isoPath(kTestUuid)));
}

// A record with a second hard link is refused before anything is placed, and never written through.
TEST(IsoPlacement, TheRecordIsNeverWrittenThroughAPlantedLink) {
  TempDir dir;
  PoolDirectory pool(dir / "pool", dir / "state");
  std::filesystem::create_directories(pool.stateDir());
  testing::writeText(dir / "victim", "untouched");
  const std::filesystem::path planted = pool.stateDir() / (std::string(kTestUuid) + ".placed.new");
  std::filesystem::create_hard_link(dir / "victim", planted);
  try {
    placeIso(pool, kTestUuid, "iso", Replace::Always);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()),
              planted.string() + ": has 2 links (another name for the same file); refusing to write through it");
  }
  EXPECT_EQ(readFile(dir / "victim"), "untouched");
  EXPECT_FALSE(std::filesystem::exists(pool.isoPath(kTestUuid)));
  // A planted record is not trusted either: release refuses it rather than remove what it names.
  std::filesystem::remove(planted);
  placeIso(pool, kTestUuid, "iso", Replace::Always);
  std::filesystem::create_hard_link(pool.stateDir() / (std::string(kTestUuid) + ".placed"), dir / "second-name");
  EXPECT_THROW(removeIsoIfPlacedHere(pool, kTestUuid), Error);
  EXPECT_TRUE(std::filesystem::exists(pool.isoPath(kTestUuid)));
}

TEST(IsoPlacement, ARecordThatCannotBeWrittenLeavesTheOldIso) {
  TempDir dir;
  PoolDirectory pool(dir / "pool", dir / "state");
  placeIso(pool, kTestUuid, "old", Replace::Always);
  std::filesystem::create_directory(pool.stateDir() / (std::string(kTestUuid) + ".placed.new"));
  EXPECT_THROW(placeIso(pool, kTestUuid, "new", Replace::Always), Error);
  EXPECT_EQ(readFile(pool.isoPath(kTestUuid)), "old");
  EXPECT_TRUE(std::filesystem::is_empty(pool.stagingDir()));
}

// Records are host-local: two hosts sharing a pool, or whose pools are siblings, never read each other's.
TEST(IsoPlacement, HostsSharingAPoolEachReleaseOnlyTheirOwnDrive) {
  TempDir dir;
  PoolDirectory hostA(dir / "shared" / "configdrive", dir / "a-state");
  PoolDirectory hostB(dir / "shared" / "configdrive", dir / "b-state");
  placeIso(hostA, kTestUuid, "a's", Replace::Always);
  placeIso(hostB, kTestUuid, "b's", Replace::Always);  // a migration's destination
  EXPECT_EQ(removeIsoIfPlacedHere(hostA, kTestUuid), Release::KeptNotOurs);
  EXPECT_EQ(readFile(hostB.isoPath(kTestUuid)), "b's");
  EXPECT_EQ(removeIsoIfPlacedHere(hostB, kTestUuid), Release::Removed);
}

TEST(IsoPlacement, SiblingPoolsEachReleaseTheirOwnDrive) {
  TempDir dir;
  PoolDirectory hostA(dir / "pools" / "a", dir / "a-state");
  PoolDirectory hostB(dir / "pools" / "b", dir / "b-state");
  placeIso(hostA, kTestUuid, "a's", Replace::Always);
  placeIso(hostB, kTestUuid, "b's", Replace::Always);
  EXPECT_EQ(removeIsoIfPlacedHere(hostA, kTestUuid), Release::Removed);
  EXPECT_FALSE(std::filesystem::exists(hostA.isoPath(kTestUuid)));
  EXPECT_EQ(readFile(hostB.isoPath(kTestUuid)), "b's");
}

}  // namespace
}  // namespace vcd

namespace vcd {
namespace {

TEST(IsoPlacement, HoldsIsoComparesBytes) {
  testing::TempDir dir;
  PoolDirectory pool(dir / "pool", dir / "state");
  EXPECT_FALSE(holdsIso(pool, testing::kTestUuid, "a"));
  placeIso(pool, testing::kTestUuid, "a", Replace::Always);
  EXPECT_TRUE(holdsIso(pool, testing::kTestUuid, "a"));
  EXPECT_FALSE(holdsIso(pool, testing::kTestUuid, "b"));
}

TEST(IsoPlacement, RemoveIsoRemovesOnlyARegularFile) {
  testing::TempDir dir;
  PoolDirectory pool(dir / "pool", dir / "state");
  EXPECT_FALSE(removeIso(pool, testing::kTestUuid));
  placeIso(pool, testing::kTestUuid, "a", Replace::Always);
  EXPECT_TRUE(removeIso(pool, testing::kTestUuid));
  EXPECT_FALSE(std::filesystem::exists(pool.isoPath(testing::kTestUuid)));
  std::filesystem::create_directory(pool.isoPath(testing::kTestUuid));
  EXPECT_THROW(removeIso(pool, testing::kTestUuid), Error);
}

}  // namespace
}  // namespace vcd

namespace vcd {
namespace {

TEST(IsoPlacement, ReleaseRemovesTheFileThisHostPlaced) {
  testing::TempDir dir;
  PoolDirectory pool(dir / "pool", dir / "state");
  placeIso(pool, testing::kTestUuid, "iso", Replace::Always);
  EXPECT_EQ(removeIsoIfPlacedHere(pool, testing::kTestUuid), Release::Removed);
  EXPECT_FALSE(std::filesystem::exists(pool.isoPath(testing::kTestUuid)));
  EXPECT_EQ(removeIsoIfPlacedHere(pool, testing::kTestUuid), Release::NothingPlaced);
}

TEST(IsoPlacement, ReleaseKeepsAFileAnotherHostPutInItsPlace) {
  testing::TempDir dir;
  PoolDirectory pool(dir / "pool", dir / "state");
  placeIso(pool, testing::kTestUuid, "ours", Replace::Always);
  // What a migration's destination does on a shared pool: a new file renamed over ours.
  testing::writeText(dir / "theirs", "theirs");
  std::filesystem::rename(dir / "theirs", pool.isoPath(testing::kTestUuid));
  EXPECT_EQ(removeIsoIfPlacedHere(pool, testing::kTestUuid), Release::KeptNotOurs);
  EXPECT_EQ(readFile(pool.isoPath(testing::kTestUuid)), "theirs");
}

TEST(IsoPlacement, ReleaseOfNothingPlacedTouchesNothing) {
  testing::TempDir dir;
  PoolDirectory pool(dir / "pool", dir / "state");
  std::filesystem::create_directories(pool.path());
  testing::writeText(pool.isoPath(testing::kTestUuid), "someone else's");
  EXPECT_EQ(removeIsoIfPlacedHere(pool, testing::kTestUuid), Release::NothingPlaced);
  EXPECT_TRUE(std::filesystem::exists(pool.isoPath(testing::kTestUuid)));
}

TEST(IsoPlacement, AnIdenticalDriveLeftInPlaceBecomesThisHosts) {
  testing::TempDir dir;
  PoolDirectory pool(dir / "pool", dir / "state");
  std::filesystem::create_directories(pool.path());
  testing::writeText(pool.isoPath(testing::kTestUuid), "same");
  EXPECT_EQ(placeIso(pool, testing::kTestUuid, "same", Replace::KeepIdentical), Placement::LeftIdentical);
  EXPECT_EQ(removeIsoIfPlacedHere(pool, testing::kTestUuid), Release::Removed);
}

}  // namespace
}  // namespace vcd

namespace vcd {
namespace {

TEST(IsoPlacement, ReleaseAndRemovalNeverCreateAMissingPool) {
  testing::TempDir dir;
  PoolDirectory pool(dir / "pool", dir / "state");
  EXPECT_EQ(removeIsoIfPlacedHere(pool, testing::kTestUuid), Release::NothingPlaced);
  EXPECT_FALSE(removeIso(pool, testing::kTestUuid));
  EXPECT_FALSE(holdsIso(pool, testing::kTestUuid, "x"));
  EXPECT_FALSE(std::filesystem::exists(pool.path()));
}

}  // namespace
}  // namespace vcd
