// A change to a domain's config drive metadata, as the CLI's data options express it.
#include "domain/metadata_edit.h"

#include <algorithm>

namespace vcd {

namespace {

template <typename T>
void replaceIfSet(std::optional<T>& field, const std::optional<T>& value) {
  if (value) field = value;
}

void editKeys(std::vector<PublicKey>& keys, const MetadataEdit& edit) {
  if (edit.clearSshKeys) keys.clear();
  for (const std::string& key : edit.sshKeys) {
    bool present = std::any_of(keys.begin(), keys.end(), [&](const PublicKey& k) { return k.data == key; });
    if (!present) keys.push_back({defaultKeyName(key, keys.size() + 1), key});
  }
}

}  // namespace

bool MetadataEdit::empty() const {
  return !hostname && !instanceId && !availabilityZone && !serviceOffering && !os && !guestFollows &&
         !passwordCleartext && !userData && !clearUserData && sshKeys.empty() && !clearSshKeys && !vendorData &&
         !networkData && !sealedPassword && !clearPassword;
}

ConfigDriveMetadata applyEdit(ConfigDriveMetadata metadata, const MetadataEdit& edit) {
  replaceIfSet(metadata.hostname, edit.hostname);
  replaceIfSet(metadata.instanceId, edit.instanceId);
  replaceIfSet(metadata.availabilityZone, edit.availabilityZone);
  replaceIfSet(metadata.serviceOffering, edit.serviceOffering);
  replaceIfSet(metadata.os, edit.os);
  replaceIfSet(metadata.guestFollows, edit.guestFollows);
  replaceIfSet(metadata.passwordCleartext, edit.passwordCleartext);
  if (edit.clearUserData) metadata.userData.reset();
  replaceIfSet(metadata.userData, edit.userData);
  editKeys(metadata.publicKeys, edit);
  replaceIfSet(metadata.vendorData, edit.vendorData);
  replaceIfSet(metadata.networkData, edit.networkData);
  if (edit.clearPassword) metadata.sealedPassword.reset();
  replaceIfSet(metadata.sealedPassword, edit.sealedPassword);
  return revalidate(metadata);
}

}  // namespace vcd
