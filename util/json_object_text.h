// A JSON object as compact, validated text: how JSON travels through the layers (the drive's vendor and network
// data) without every file that carries it including nlohmann/json. Only util/json_text makes one, from a value it
// has checked, so that it always holds a JSON object of UTF-8 text; the modules that look inside parse it there.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <utility>

namespace vcd {

class JsonObjectText {
 public:
  JsonObjectText() = default;  // {}
  const std::string& text() const { return text_; }
  bool operator==(const JsonObjectText&) const = default;

 private:
  explicit JsonObjectText(std::string text) : text_(std::move(text)) {}
  friend JsonObjectText jsonObjectText(const nlohmann::json& value, const std::string& what);

  std::string text_ = "{}";
};

}  // namespace vcd
