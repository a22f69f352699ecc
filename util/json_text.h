// JSON text in and out, bounded. nlohmann/json copies, dumps and destroys values recursively: a value nested deeper
// than the stack allows crashes the process, so none is ever let in; and dump() throws on a string that is not
// UTF-8, so output goes through dumpJson. Knows nothing of the product.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "util/json_object_text.h"

namespace vcd {

// Deeper than any config drive's JSON needs (network data nests five levels).
constexpr int kMaxJsonDepth = 64;

// Why text is no JSON value: it is not JSON at all, or it nests deeper than kMaxJsonDepth.
inline const std::string kNotJson = "is not valid JSON";
inline const std::string kJsonTooDeep = "nests deeper than " + std::to_string(kMaxJsonDepth) + " levels";

// The JSON value of text; nullopt, with why set to kNotJson or kJsonTooDeep, when there is none.
std::optional<nlohmann::json> parseJson(std::string_view text, std::string& why);

// value.dump(indent); Error naming `what` when a string in it is not UTF-8.
std::string dumpJson(const nlohmann::json& value, const std::string& what, int indent = -1);

// The object as compact JSON text; Error naming `what` when value is not an object or a string in it is not UTF-8.
JsonObjectText jsonObjectText(const nlohmann::json& value, const std::string& what);

// The value an object's text holds.
nlohmann::json jsonValue(const JsonObjectText& object);

// value.dump(indent) for people to read: bytes that are not UTF-8 become U+FFFD.
std::string dumpJsonForDisplay(const nlohmann::json& value, int indent = -1);

}  // namespace vcd
