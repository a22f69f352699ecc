// The exec rules of an AppArmor profile: whether the daemon it confines may execute a path.
#include "doctor/apparmor_profile.h"

#include <algorithm>
#include <regex>
#include <sstream>

#include "util/error.h"
#include "util/file_io.h"

namespace vcd {

namespace {

constexpr int kMaxIncludeDepth = 16;

std::string trimmed(const std::string& text) {
  std::size_t first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) return std::string();
  return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

// "#include <abstractions/base>", "include if exists <local/x>", "include \"/abs\"": the file, or "" if not one.
std::optional<std::filesystem::path> includedPath(const std::string& line, const std::filesystem::path& apparmorDir) {
  static const std::regex include(R"(^#?include\s+(if\s+exists\s+)?([<"])([^>"]+)[>"]\s*$)");
  std::smatch match;
  if (!std::regex_match(line, match, include)) return std::nullopt;
  std::filesystem::path named = match[3].str();
  return match[2] == "<" || named.is_relative() ? apparmorDir / named : named;
}

bool isPermissions(const std::string& token) {
  return !token.empty() && token.find_first_not_of("rwaxlkmiuUpPcCD") == std::string::npos;
}

// One rule's text (qualifiers, path and permissions in either order, `-> target`), when it is a file rule.
std::optional<ExecRule> execRule(const std::string& rule) {
  std::istringstream words(rule);
  std::vector<std::string> tokens;
  for (std::string token; words >> token;) tokens.push_back(token);
  ExecRule parsed;
  std::size_t at = 0;
  for (; at < tokens.size(); ++at) {
    if (tokens[at] == "deny") {
      parsed.deny = true;
    } else if (tokens[at] != "audit" && tokens[at] != "owner" && tokens[at] != "allow" && tokens[at] != "file") {
      break;
    }
  }
  if (tokens.size() < at + 2) return std::nullopt;
  const std::string& first = tokens[at];
  const std::string& second = tokens[at + 1];
  bool pathFirst = first.front() == '/' || first.front() == '"';
  parsed.pattern = pathFirst ? first : second;
  parsed.permissions = pathFirst ? second : first;
  if (parsed.pattern.size() >= 2 && parsed.pattern.front() == '"') {
    parsed.pattern = parsed.pattern.substr(1, parsed.pattern.size() - 2);
  }
  if (parsed.pattern.empty() || parsed.pattern.front() != '/' || !isPermissions(parsed.permissions) ||
      parsed.permissions.find('x') == std::string::npos || parsed.pattern.find("@{") != std::string::npos) {
    return std::nullopt;
  }
  return parsed;
}

class ProfileReader {
 public:
  explicit ProfileReader(std::filesystem::path apparmorDir) : apparmorDir_(std::move(apparmorDir)) {}

  // depth: how many blocks are open around the file's first line (1: inside the daemon's own profile).
  void read(const std::filesystem::path& file, int depth, int includeDepth) {
    if (includeDepth > kMaxIncludeDepth) throw Error(file.string() + ": includes nest too deep");
    std::error_code error;
    if (std::filesystem::is_directory(file, error)) {
      std::vector<std::filesystem::path> files;
      for (std::filesystem::directory_iterator entry(file, error), end; !error && entry != end;
           entry.increment(error)) {
        files.push_back(entry->path());
      }
      if (error) throw Error(file.string() + ": cannot list: " + error.message());
      std::sort(files.begin(), files.end());
      for (const auto& entry : files) read(entry, depth, includeDepth + 1);
      return;
    }
    std::istringstream lines(readFile(file, 4u << 20));
    for (std::string line; std::getline(lines, line);) {
      line = trimmed(line);
      if (std::optional<std::filesystem::path> included = includedPath(line, apparmorDir_)) {
        bool optional = line.find("if exists") != std::string::npos;
        if (depth != 1) continue;
        bool present = std::filesystem::exists(*included, error);
        if (!present && !error && !optional) {
          throw ProfileIncludeMissing(included->string() + ", which " + file.string() + " includes, does not exist");
        }
        if (present || (error && !optional)) read(*included, depth, includeDepth + 1);
        continue;
      }
      line = trimmed(line.substr(0, line.find('#')));
      if (line.empty()) continue;
      if (depth == 1 && line.back() == ',') {
        if (std::optional<ExecRule> rule = execRule(line.substr(0, line.size() - 1))) rules_.push_back(*rule);
      }
      depth += static_cast<int>(std::count(line.begin(), line.end(), '{'));
      depth -= static_cast<int>(std::count(line.begin(), line.end(), '}'));
    }
  }

  std::vector<ExecRule> rules() const { return rules_; }

 private:
  std::filesystem::path apparmorDir_;
  std::vector<ExecRule> rules_;
};

void appendClass(const std::string& pattern, std::size_t& at, std::string& regex) {
  std::size_t end = pattern.find(']', at + 1);
  if (end == std::string::npos) {
    regex += "\\[";
    return;
  }
  regex += '[';
  for (std::size_t i = at + 1; i < end; ++i) {
    if (pattern[i] == '\\' || pattern[i] == '[') regex += '\\';
    regex += pattern[i];
  }
  regex += ']';
  at = end;
}

std::string aareToRegex(const std::string& pattern) {
  std::string regex;
  int braces = 0;
  for (std::size_t at = 0; at < pattern.size(); ++at) {
    char c = pattern[at];
    if (c == '\\' && at + 1 < pattern.size()) {
      regex += '\\';
      regex += pattern[++at];
    } else if (c == '*' && at + 1 < pattern.size() && pattern[at + 1] == '*') {
      regex += ".*";
      ++at;
    } else if (c == '*') {
      regex += "[^/]*";
    } else if (c == '?') {
      regex += "[^/]";
    } else if (c == '[') {
      appendClass(pattern, at, regex);
    } else if (c == '{') {
      regex += "(?:";
      ++braces;
    } else if (c == '}' && braces > 0) {
      regex += ')';
      --braces;
    } else if (c == ',' && braces > 0) {
      regex += '|';
    } else {
      if (std::string_view(".^$|()[]{}+*?\\").find(c) != std::string_view::npos) regex += '\\';
      regex += c;
    }
  }
  return regex;
}

}  // namespace

std::vector<ExecRule> readExecRules(const std::filesystem::path& file, const std::filesystem::path& apparmorDir) {
  ProfileReader reader(apparmorDir);
  reader.read(file, 0, 0);
  return reader.rules();
}

std::optional<ExecRule> ruleAllowingExec(const std::vector<ExecRule>& rules, const std::string& path) {
  std::optional<ExecRule> allowing;
  for (const ExecRule& rule : rules) {
    if (!aareMatches(rule.pattern, path)) continue;
    if (rule.deny) return std::nullopt;
    if (!allowing) allowing = rule;
  }
  return allowing;
}

bool aareMatches(const std::string& pattern, const std::string& path) {
  try {
    return std::regex_match(path, std::regex(aareToRegex(pattern)));
  } catch (const std::regex_error&) {
    return false;
  }
}

}  // namespace vcd
