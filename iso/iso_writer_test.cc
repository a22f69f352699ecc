#include "iso/iso_writer.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "iso/iso_reader.h"
#include "tests/test_support.h"
#include "util/error.h"

namespace vcd {
namespace {

using testing::TempDir;

DriveContent sampleContent() {
  DriveContent content;
  content.domainName = "web1";
  content.instanceId = "6f1c2b4e-8d3a-4c5b-9e7f-0a1b2c3d4e5f";
  content.hostname = "web1";
  content.serviceOffering = "small";
  content.userData = std::string("#cloud-config\nruncmd: [true]\n\x00\xff", 31);
  content.publicKeys = {{"alice", "ssh-ed25519 AAAA alice@laptop"}};
  return content;
}

IsoContents writeAndReadBack(const DriveContent& content, const TempDir& dir) {
  std::filesystem::path path = dir / "drive.iso";
  testing::writeText(path, writeDriveIso(content));
  return readIso(path);
}

TEST(IsoWriter, EveryFileReadsBackByteForByte) {
  TempDir dir;
  DriveContent content = sampleContent();
  IsoContents iso = writeAndReadBack(content, dir);
  std::vector<DriveFile> expected = layOutDrive(content);
  ASSERT_EQ(iso.files.size(), expected.size());
  for (const DriveFile& file : expected) {
    auto found = iso.files.find("/" + file.path);
    ASSERT_NE(found, iso.files.end()) << file.path;
    EXPECT_EQ(found->second.data, *file.data) << file.path;
  }
}

TEST(IsoWriter, LabelBecomesTheVolumeIdAsConfigured) {
  TempDir dir;
  DriveContent content = sampleContent();
  EXPECT_EQ(writeAndReadBack(content, dir).label, "config-2");
  content.label = "cidata_2";
  EXPECT_EQ(writeAndReadBack(content, dir).label, "cidata_2");
}

TEST(IsoWriter, SameInputGivesByteIdenticalIso) {
  std::string first = writeDriveIso(sampleContent());
  std::string second = writeDriveIso(sampleContent());
  EXPECT_TRUE(first == second) << "two builds of the same content differ";
  DriveContent changed = sampleContent();
  changed.hostname = "web2";
  EXPECT_FALSE(writeDriveIso(changed) == first);
}

TEST(IsoWriter, UserDataFilesShareOneDataExtent) {
  TempDir dir;
  IsoContents iso = writeAndReadBack(sampleContent(), dir);
  const IsoFileEntry& openstack = iso.files.at("/openstack/latest/user_data");
  const IsoFileEntry& cloudstack = iso.files.at("/cloudstack/userdata/user_data.txt");
  EXPECT_NE(openstack.extentBlock, 0u);
  EXPECT_EQ(openstack.extentBlock, cloudstack.extentBlock);
  EXPECT_NE(iso.files.at("/openstack/latest/meta_data.json").extentBlock, openstack.extentBlock);
}

TEST(IsoWriter, RefusesAnIsoLargerThan64MiB) {
  DriveContent content = sampleContent();
  content.userData = std::string(kMaxIsoBytes, 'x');
  try {
    writeDriveIso(content);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("more than the 67108864 allowed"), std::string::npos) << error.what();
  }
}

TEST(IsoReader, RefusesAFileThatIsNoIso) {
  TempDir dir;
  testing::writeText(dir / "not.iso", std::string(64 * 1024, 'x'));
  EXPECT_THROW(readIso(dir / "not.iso"), Error);
}

TEST(IsoReader, ReadsTheLabelOfAnImageInAFile) {
  TempDir dir;
  DriveContent content = sampleContent();
  content.label = "cidata";
  testing::writeText(dir / "seed.iso", writeDriveIso(content));
  EXPECT_EQ(readIsoLabel(dir / "seed.iso"), "cidata");
  testing::writeText(dir / "drive.iso", writeDriveIso(sampleContent()));
  EXPECT_EQ(readIsoLabel(dir / "drive.iso"), "config-2");
}

TEST(IsoReader, ReadsNoLabelFromWhatIsNoImageInARegularFile) {
  TempDir dir;
  testing::writeText(dir / "not.iso", std::string(64 * 1024, 'x'));
  EXPECT_EQ(readIsoLabel(dir / "not.iso"), std::nullopt);
  EXPECT_EQ(readIsoLabel(dir / "missing.iso"), std::nullopt);
  EXPECT_EQ(readIsoLabel(dir.path()), std::nullopt) << "a directory";
  ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0600), 0);
  EXPECT_EQ(readIsoLabel(dir / "fifo"), std::nullopt) << "a FIFO is not waited on";
  std::string image = writeDriveIso(sampleContent());
  testing::writeText(dir / "cut.iso", image.substr(0, 16 * 2048));
  EXPECT_EQ(readIsoLabel(dir / "cut.iso"), std::nullopt) << "an image cut before its volume descriptors";
}

}  // namespace
}  // namespace vcd
