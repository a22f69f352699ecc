#include "iso/drive_inspection.h"

#include <gtest/gtest.h>

namespace vcd {
namespace {

IsoContents acceptableDrive() {
  IsoContents contents;
  contents.label = "config-2";
  contents.files["/openstack/latest/meta_data.json"].data = R"({"uuid": "i-1"})";
  contents.files["/openstack/latest/user_data"].data = "#cloud-config\n";
  contents.files["/cloudstack/userdata/user_data.txt"].data = "#cloud-config\n";
  return contents;
}

TEST(DriveInspection, AcceptableDriveHasNoProblems) { EXPECT_TRUE(findDriveProblems(acceptableDrive()).empty()); }

TEST(DriveInspection, UpperCaseLabelIsAccepted) {
  IsoContents contents = acceptableDrive();
  contents.label = "CONFIG-2";
  EXPECT_TRUE(findDriveProblems(contents).empty());
}

TEST(DriveInspection, OtherLabelIsAProblemForCloudInit) {
  IsoContents contents = acceptableDrive();
  contents.label = "CONFIG_2";
  EXPECT_EQ(findDriveProblems(contents), std::vector<std::string>{"cloud-init: label is 'CONFIG_2', not config-2"});
}

TEST(DriveInspection, MissingMetaDataIsAProblem) {
  IsoContents contents = acceptableDrive();
  contents.files.erase("/openstack/latest/meta_data.json");
  EXPECT_EQ(findDriveProblems(contents),
            std::vector<std::string>{"cloud-init: /openstack/latest/meta_data.json is missing"});
}

TEST(DriveInspection, MetaDataWithoutUuidIsAProblem) {
  IsoContents contents = acceptableDrive();
  contents.files["/openstack/latest/meta_data.json"].data = R"({"name": "x"})";
  EXPECT_EQ(findDriveProblems(contents),
            std::vector<std::string>{"cloud-init: /openstack/latest/meta_data.json has no uuid"});
}

TEST(DriveInspection, MetaDataThatIsNoJsonObjectIsAProblem) {
  IsoContents contents = acceptableDrive();
  contents.files["/openstack/latest/meta_data.json"].data = "[1,";
  EXPECT_EQ(findDriveProblems(contents),
            std::vector<std::string>{"cloud-init: /openstack/latest/meta_data.json is not a JSON object"});
}

TEST(DriveInspection, DifferingUserDataCopiesAreAProblem) {
  IsoContents contents = acceptableDrive();
  contents.files["/cloudstack/userdata/user_data.txt"].data = "other";
  ASSERT_EQ(findDriveProblems(contents).size(), 1u);
  EXPECT_NE(findDriveProblems(contents)[0].find("differ"), std::string::npos);
}

}  // namespace
}  // namespace vcd
