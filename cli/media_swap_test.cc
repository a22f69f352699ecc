#include "cli/media_swap.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <deque>
#include <pugixml.hpp>

#include "host/domain_lock.h"
#include "host/iso_placement.h"
#include "tests/test_support.h"
#include "util/file_io.h"

namespace vcd {
namespace {

using testing::kTestUuid;
using testing::TempDir;

const std::string kTrayLocked =
    "internal error: unable to execute QEMU command 'eject': timed out waiting to open "
    "tray of 'hdd'";
const std::string kNoSuchFile = "Cannot access storage file '/pool/x.iso': No such file or directory";

// A running domain's media as libvirt would change them, with the answers a test scripts: each change of medium
// takes the next answer ("" when none is left, libvirt's success) and is recorded, an eject as "eject", an insert as
// "insert FILE" ("+force" when forced). It holds what the last change that succeeded put in the CD-ROM.
class FakeDomainMedia final : public DomainMedia {
 public:
  std::string name() const override { return "web1"; }

  std::string changeMedium(const std::string& deviceXml, bool force) override {
    pugi::xml_document doc;
    EXPECT_TRUE(doc.load_string(deviceXml.c_str())) << deviceXml;
    pugi::xml_node disk = doc.child("disk");
    EXPECT_EQ(std::string(disk.child("target").attribute("dev").value()), "hdd") << deviceXml;
    const std::string source = disk.child("source").attribute("file").value();
    calls.push_back((source.empty() ? "eject" : "insert " + source) + (force ? " +force" : ""));
    std::string answer;
    if (!answers.empty()) {
      answer = answers.front();
      answers.pop_front();
    }
    if (answer.empty()) medium = source;
    return answer;
  }

  std::optional<std::string> persistentXml() const override { return persistent; }

  std::deque<std::string> answers;
  std::vector<std::string> calls;
  std::string medium;  // the file in the CD-ROM; "" when empty
  std::optional<std::string> persistent;
};

DriveSwapOptions placingAlso(std::function<void()> withPlacement) {
  DriveSwapOptions options;
  options.withPlacement = std::move(withPlacement);
  return options;
}

DriveSwapOptions withoutReattach() {
  DriveSwapOptions options;
  options.reattach = false;
  return options;
}

DriveSwapOptions forced() {
  DriveSwapOptions options;
  options.forceEject = true;
  return options;
}

DriveSwapOptions intoTheEmptiedSlot() {
  DriveSwapOptions options;
  options.slotEmpty = true;
  return options;
}

class MediaSwapTest : public ::testing::Test {
 protected:
  MediaSwapTest() : pool_(dir_ / "pool", dir_ / "state") {
    {
      DomainLock lock = DomainLock::acquire(pool_, kTestUuid);
      placeIso(pool_, kTestUuid, "previous drive", Replace::Always);
    }
    media_.medium = isoPath();
  }

  std::string isoPath() const { return pool_.isoPath(kTestUuid).string(); }

  DomainDrive drive(const std::string& iso) const {
    return DomainDrive{pool_, CdromSlot{"hdd", "ide", isoPath()}, iso, {}};
  }

  DriveSwap swap(const std::string& iso, DriveSwapOptions options = {}) {
    options.lockedAdvice = "unmount it";
    return swapRunningDrive(media_, kTestUuid, drive(iso), options);
  }

  // The swap's Error message; "" when it threw none.
  std::string swapFailure(const std::string& iso, DriveSwapOptions options = {}) {
    try {
      swap(iso, std::move(options));
    } catch (const Error& error) {
      return error.what();
    }
    return "";
  }

  std::string pooled() const { return readFile(pool_.isoPath(kTestUuid)); }

  TempDir dir_;
  PoolDirectory pool_;
  FakeDomainMedia media_;
};

TEST_F(MediaSwapTest, AChangedDriveIsEjectedPlacedAndInserted) {
  EXPECT_EQ(swap("new drive"), DriveSwap::Swapped);
  EXPECT_EQ(media_.calls, (std::vector<std::string>{"eject", "insert " + isoPath()}));
  EXPECT_EQ(pooled(), "new drive");
  EXPECT_EQ(media_.medium, isoPath());
}

TEST_F(MediaSwapTest, AnUnchangedDriveAsksNothingOfLibvirt) {
  bool wrote = false;
  EXPECT_EQ(swap("previous drive", placingAlso([&] { wrote = true; })), DriveSwap::Unchanged);
  EXPECT_TRUE(media_.calls.empty());
  EXPECT_TRUE(wrote) << "the metadata goes with an unchanged drive too";
}

TEST_F(MediaSwapTest, WithoutReattachTheDriveIsPlacedAndTheMediumLeftAlone) {
  EXPECT_EQ(swap("new drive", withoutReattach()), DriveSwap::Placed);
  EXPECT_TRUE(media_.calls.empty());
  EXPECT_EQ(pooled(), "new drive");
}

TEST_F(MediaSwapTest, ATrayHeldForAMomentIsTriedASecondTime) {
  media_.answers = {kTrayLocked};
  EXPECT_EQ(swap("new drive"), DriveSwap::Swapped);
  EXPECT_EQ(media_.calls, (std::vector<std::string>{"eject", "eject", "insert " + isoPath()}));
  EXPECT_EQ(pooled(), "new drive");
}

TEST_F(MediaSwapTest, ATrayLockedThroughBothEjectsChangesNothing) {
  media_.answers = {kTrayLocked, kTrayLocked};
  try {
    swap("new drive");
    FAIL() << "no error";
  } catch (const TrayLockedError& error) {
    EXPECT_STREQ(error.what(),
                 "ejecting the config drive from hdd: the guest has the drive mounted and holds its tray locked; "
                 "unmount it");
  }
  EXPECT_EQ(media_.calls, (std::vector<std::string>{"eject", "eject"}));
  EXPECT_EQ(pooled(), "previous drive");
  EXPECT_EQ(media_.medium, isoPath());
}

TEST_F(MediaSwapTest, ForceGoesWithTheEject) {
  EXPECT_EQ(swap("new drive", forced()), DriveSwap::Swapped);
  EXPECT_EQ(media_.calls, (std::vector<std::string>{"eject +force", "insert " + isoPath()}));
}

TEST_F(MediaSwapTest, AnotherEjectFailureIsNotRetriedAndChangesNothing) {
  media_.answers = {"Requested operation is not valid: domain is not running"};
  EXPECT_EQ(swapFailure("new drive"),
            "ejecting the config drive from hdd: Requested operation is not valid: domain is not running; nothing was "
            "changed");
  EXPECT_EQ(media_.calls, std::vector<std::string>{"eject"});
  EXPECT_EQ(pooled(), "previous drive");
}

TEST_F(MediaSwapTest, AFailedPlacementPutsThePreviousDriveBack) {
  std::string failure =
      swapFailure("new drive", placingAlso([] { throw Error("writing the cd:configdrive metadata: refused"); }));
  EXPECT_EQ(failure, "writing the cd:configdrive metadata: refused; the guest has its previous drive back");
  EXPECT_EQ(media_.calls, (std::vector<std::string>{"eject", "insert " + isoPath()}));
  EXPECT_EQ(pooled(), "previous drive");
  EXPECT_EQ(media_.medium, isoPath());

  // The placement itself failing: its record cannot be written.
  media_.calls.clear();
  ASSERT_EQ(::mkdir((pool_.stateDir() / (std::string(kTestUuid) + ".placed.new")).c_str(), 0700), 0);
  failure = swapFailure("new drive");
  EXPECT_NE(failure.find(".placed.new"), std::string::npos) << failure;
  EXPECT_NE(failure.find("; the guest has its previous drive back"), std::string::npos) << failure;
  EXPECT_EQ(media_.calls, (std::vector<std::string>{"eject", "insert " + isoPath()}));
  EXPECT_EQ(pooled(), "previous drive");
}

TEST_F(MediaSwapTest, APutBackThatFailsTooSaysBothAndHowToInsertIt) {
  media_.answers = {"", kNoSuchFile};
  std::string failure = swapFailure("new drive", placingAlso([] { throw Error("no space left"); }));
  EXPECT_EQ(failure, "no space left; putting the previous drive back failed too: inserting " + isoPath() +
                         " into hdd: " + kNoSuchFile +
                         "; the guest has no config drive until 'virsh change-media web1 " + "hdd --insert " +
                         isoPath() + "' succeeds, or the next update or watch puts it back");
  EXPECT_EQ(media_.calls, (std::vector<std::string>{"eject", "insert " + isoPath()}));
  EXPECT_EQ(media_.medium, "") << "the CD-ROM is left empty";
}

TEST_F(MediaSwapTest, AnInsertFailingTwiceLeavesTheCdromEmptyAndTheNextSwapPutsItBack) {
  media_.answers = {"", kTrayLocked, kTrayLocked};
  std::string failure = swapFailure("new drive");
  EXPECT_EQ(failure, "inserting " + isoPath() + " into hdd: " + kTrayLocked +
                         "; the guest has no config drive until 'virsh change-media web1 hdd --insert " + isoPath() +
                         "' succeeds, or the next update or watch puts it back");
  EXPECT_EQ(media_.calls, (std::vector<std::string>{"eject", "insert " + isoPath(), "insert " + isoPath()}));
  EXPECT_EQ(media_.medium, "");
  EXPECT_EQ(pooled(), "new drive") << "placed before the insert";

  // The next swap, with the bytes already placed: "unchanged" would leave the guest without its drive.
  media_.calls.clear();
  EXPECT_EQ(swap("new drive", intoTheEmptiedSlot()), DriveSwap::Swapped);
  EXPECT_EQ(media_.calls, std::vector<std::string>{"insert " + isoPath()}) << "nothing to eject";
  EXPECT_EQ(media_.medium, isoPath());

  // With other bytes: placed, then inserted, still with no eject.
  media_.medium.clear();
  media_.calls.clear();
  EXPECT_EQ(swap("newer drive", intoTheEmptiedSlot()), DriveSwap::Swapped);
  EXPECT_EQ(media_.calls, std::vector<std::string>{"insert " + isoPath()});
  EXPECT_EQ(pooled(), "newer drive");
}

TEST_F(MediaSwapTest, TheEmptiedSlotIsFoundInThePersistentDefinition) {
  DomainDefinition live = parseDomainXml(testing::domainXml("", ""));  // hdc, empty: no hdd at all
  live.cdroms.push_back({"hdd", "ide", ""});                           // hdd, emptied by a failed insert
  EXPECT_FALSE(withEmptiedSlot(media_, live)) << "a transient domain has no persistent definition to ask";
  media_.persistent = testing::domainXml("", isoPath());
  EXPECT_TRUE(withEmptiedSlot(media_, live));
  ASSERT_TRUE(configDriveCdrom(live));
  EXPECT_EQ(configDriveCdrom(live)->sourceFile, isoPath());
  EXPECT_FALSE(withEmptiedSlot(media_, live)) << "a live drive in place is left alone";
}

}  // namespace
}  // namespace vcd
