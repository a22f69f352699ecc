// vendor_data.json's "cloud-init" value as cloud-init guests take it: virt-configdrive's own parts (the password's
// cloud-config, the guest follower) first, then the operator's, as one MIME multipart string.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace vcd {

// vendor_data.json for a Linux guest: the operator's object, its "cloud-init" value a MIME multipart string of
// ourParts followed by the operator's own string or strings. cloud-init merges cloud-config parts in order, a later
// part's key replacing an earlier one's: the operator's own keys win.
nlohmann::json vendorDataWithParts(const nlohmann::json& operatorVendorData, std::vector<std::string> ourParts);

// vendor_data.json for a guest without parts of ours, when the operator's "cloud-init" value is a list of strings:
// the object with that list as one MIME multipart string of the same parts, in order. cloud-init 24.3 and later
// (Debian 13's 25.1) stop their init-local stage at a list (an AttributeError); every release takes the multipart
// string. nullopt for any other vendor data, which goes on the drive as given.
std::optional<nlohmann::json> vendorDataListAsMultipart(const nlohmann::json& operatorVendorData);

// The parts of a vendor data "cloud-init" value as text: a list's strings, the parts of the multipart string
// vendorDataWithParts makes, or any other string as one part.
std::vector<std::string> vendorDataParts(const nlohmann::json& vendorData);

}  // namespace vcd
