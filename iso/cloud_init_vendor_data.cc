// vendor_data.json's "cloud-init" value as cloud-init guests take it: virt-configdrive's own parts (the password's
// cloud-config, the guest follower) first, then the operator's, as one MIME multipart string.
#include "iso/cloud_init_vendor_data.h"

#include <algorithm>
#include <string_view>

#include "util/digest.h"

namespace vcd {

namespace {

using json = nlohmann::json;

// The parts travel as one MIME multipart string, the form OpenStack's own vendor data takes, not as a JSON list:
// cloud-init 24.3 and later (Debian 13's 25.1) check a list in init-local as if it were a string, and the stage
// stops there with an AttributeError. Each part is text/plain, which cloud-init types by its first line
// (#cloud-config, #cloud-boothook, #!…), as it types a list's strings; a part that is a MIME message itself goes in
// whole, its headers the part's. The boundary is a digest of the parts, so no part holds it, and the same parts
// give the same bytes (docs/drive-format.md: byte-identical drives).
const std::string kMultipartHeader = "Content-Type: multipart/mixed; boundary=\"";
const std::string kBoundaryPrefix = "virt-configdrive-";

bool startsWith(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

// A "cloud-init" value's strings as cloud-init takes them: the value itself when it is one, a list's strings.
std::vector<std::string> stringsOf(const json& value) {
  std::vector<std::string> strings;
  for (const json& part : value.is_array() ? value : json::array({value})) {
    if (part.is_string()) strings.push_back(part.get<std::string>());
  }
  return strings;
}

bool isMimeMessage(std::string_view part) {
  return startsWith(part, "Content-Type:") || startsWith(part, "MIME-Version:");
}

std::string multipart(const std::vector<std::string>& parts) {
  std::string all;
  for (const std::string& part : parts) all += sha256Hex(part);
  const std::string boundary = kBoundaryPrefix + sha256Hex(all).substr(0, 32);
  std::string text = kMultipartHeader + boundary + "\"\nMIME-Version: 1.0\n";
  for (const std::string& part : parts) {
    text += "\n--" + boundary + "\n";
    text += isMimeMessage(part) ? part : "Content-Type: text/plain; charset=\"utf-8\"\n\n" + part;
  }
  return text + "\n--" + boundary + "--\n";
}

// The bodies of the parts multipart() made (a nested MIME message's body as one), or nullopt for any other text.
std::optional<std::vector<std::string>> multipartBodies(const std::string& text) {
  if (!startsWith(text, kMultipartHeader + kBoundaryPrefix)) return std::nullopt;
  const size_t boundaryEnd = text.find('"', kMultipartHeader.size());
  const std::string boundary = text.substr(kMultipartHeader.size(), boundaryEnd - kMultipartHeader.size());
  const std::string delimiter = "\n--" + boundary;
  std::vector<std::string> bodies;
  for (size_t at = text.find(delimiter); at != std::string::npos;) {
    const size_t start = at + delimiter.size();
    at = text.find(delimiter, start);
    if (at == std::string::npos || text.compare(start, 1, "\n") != 0) break;  // the closing "--", or damage
    const size_t body = text.find("\n\n", start);
    if (body == std::string::npos || body >= at) break;
    bodies.push_back(text.substr(body + 2, at - body - 2));
  }
  return bodies;
}

// The "cloud-init" value of vendor data, the only one cloud-init reads; nullptr when there is none.
const json* cloudInitValue(const json& vendorData) {
  if (!vendorData.is_object() || !vendorData.contains("cloud-init")) return nullptr;
  return &vendorData["cloud-init"];
}

}  // namespace

std::vector<std::string> vendorDataParts(const json& vendorData) {
  const json* value = cloudInitValue(vendorData);
  if (!value) return {};
  if (value->is_string()) {
    if (auto bodies = multipartBodies(value->get<std::string>())) return *bodies;
  }
  return stringsOf(*value);
}

json vendorDataWithParts(const json& operatorVendorData, std::vector<std::string> ourParts) {
  json vendorData = operatorVendorData.is_object() ? operatorVendorData : json::object();
  // The operator's string or list of strings after ours; any other value cloud-init ignores (vendorDataWarnings):
  // our parts take its place on the drive.
  for (std::string& theirs : stringsOf(vendorData.value("cloud-init", json()))) ourParts.push_back(std::move(theirs));
  vendorData["cloud-init"] = multipart(ourParts);
  return vendorData;
}

std::optional<json> vendorDataListAsMultipart(const json& operatorVendorData) {
  const json* value = cloudInitValue(operatorVendorData);
  auto isString = [](const json& part) { return part.is_string(); };
  if (!value || !value->is_array() || !std::all_of(value->begin(), value->end(), isString)) return std::nullopt;
  json vendorData = operatorVendorData;
  vendorData["cloud-init"] = multipart(stringsOf(*value));
  return vendorData;
}

}  // namespace vcd
