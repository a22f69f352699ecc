#include "domain/metadata_edit.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace vcd {
namespace {

ConfigDriveMetadata sample() {
  ConfigDriveMetadata m;
  m.hostname = "web1";
  m.userData = "old";
  m.publicKeys = {{"alice", "ssh-ed25519 AAAA alice@laptop"}};
  m.sealedPassword = SealedPassword{"v1", "c2VhbGVk"};
  return m;
}

TEST(MetadataEdit, EmptyEditChangesNothing) {
  MetadataEdit edit;
  EXPECT_TRUE(edit.empty());
  EXPECT_EQ(applyEdit(sample(), edit), sample());
}

TEST(MetadataEdit, ReplacesWhatIsGivenAndKeepsTheRest) {
  MetadataEdit edit;
  edit.userData = "new";
  edit.availabilityZone = "z";
  edit.guestFollows = "no";
  EXPECT_FALSE(edit.empty());
  ConfigDriveMetadata m = applyEdit(sample(), edit);
  EXPECT_EQ(m.userData, "new");
  EXPECT_EQ(m.availabilityZone, "z");
  EXPECT_EQ(m.guestFollows, "no");
  EXPECT_EQ(m.hostname, "web1");
  EXPECT_EQ(m.publicKeys.size(), 1u);
}

TEST(MetadataEdit, ClearsUserDataKeysAndPassword) {
  MetadataEdit edit;
  edit.clearUserData = edit.clearSshKeys = edit.clearPassword = true;
  ConfigDriveMetadata m = applyEdit(sample(), edit);
  EXPECT_FALSE(m.userData);
  EXPECT_TRUE(m.publicKeys.empty());
  EXPECT_FALSE(m.sealedPassword);
}

TEST(MetadataEdit, AddsKeysOnceNamedByComment) {
  MetadataEdit edit;
  edit.sshKeys = {"ssh-rsa BBBB bob@desk", "ssh-ed25519 AAAA alice@laptop", "ssh-ed25519 CCCC"};
  ConfigDriveMetadata once = applyEdit(sample(), edit);
  ASSERT_EQ(once.publicKeys.size(), 3u);
  EXPECT_EQ(once.publicKeys[1].name, "bob@desk");
  EXPECT_EQ(once.publicKeys[2].name, "key-3");
  EXPECT_EQ(applyEdit(once, edit), once);
}

TEST(MetadataEdit, ClearThenAddReplacesTheKeys) {
  MetadataEdit edit;
  edit.clearSshKeys = true;
  edit.sshKeys = {"ssh-rsa BBBB bob@desk"};
  ConfigDriveMetadata m = applyEdit(sample(), edit);
  ASSERT_EQ(m.publicKeys.size(), 1u);
  EXPECT_EQ(m.publicKeys[0].data, "ssh-rsa BBBB bob@desk");
}

TEST(MetadataEdit, InvalidValuesAreRefusedLikeXml) {
  MetadataEdit edit;
  edit.hostname = "bad host";
  EXPECT_THROW(applyEdit(sample(), edit), Error);
  MetadataEdit key;
  key.sshKeys = {"not-a-key"};
  EXPECT_THROW(applyEdit(sample(), key), Error);
}

}  // namespace
}  // namespace vcd
