// JSON text in and out, bounded in depth, and dumps that never abort the process.
#include "util/json_text.h"

#include "util/error.h"

namespace vcd {

using json = nlohmann::json;

std::optional<json> parseJson(std::string_view text, std::string& why) {
  // nlohmann's parser itself keeps its own stack; the callback drops what is too deep before it becomes a value.
  bool tooDeep = false;
  json::parser_callback_t bounded = [&](int depth, json::parse_event_t, json&) {
    if (depth > kMaxJsonDepth) tooDeep = true;
    return !tooDeep;
  };
  json value = json::parse(text.begin(), text.end(), bounded, false);
  if (tooDeep || value.is_discarded()) {
    why = tooDeep ? kJsonTooDeep : kNotJson;
    return std::nullopt;
  }
  return value;
}

std::string dumpJson(const json& value, const std::string& what, int indent) {
  try {
    return value.dump(indent);
  } catch (const json::type_error&) {
    throw Error(what + ": holds a string that is not valid UTF-8");
  }
}

std::string dumpJsonForDisplay(const json& value, int indent) {
  return value.dump(indent, ' ', false, json::error_handler_t::replace);
}

JsonObjectText jsonObjectText(const nlohmann::json& value, const std::string& what) {
  if (!value.is_object()) throw Error(what + ": must hold a JSON object");
  return JsonObjectText(dumpJson(value, what));
}

nlohmann::json jsonValue(const JsonObjectText& object) { return nlohmann::json::parse(object.text()); }

}  // namespace vcd
