// Helpers shared by the unit tests: a temporary directory and domain XML fixtures.
#pragma once

#include <filesystem>
#include <string>

namespace vcd::testing {

// A fresh directory under $TMPDIR, removed with everything in it at scope exit.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

void writeText(const std::filesystem::path& path, const std::string& text);

inline const char* const kTestUuid = "6f1c2b4e-8d3a-4c5b-9e7f-0a1b2c3d4e5f";

// A domain XML with the given metadata children (inside cd:configdrive when not empty, none when
// configDrive is false) and a second CD-ROM whose source is cdromSource (none when empty).
std::string domainXml(const std::string& metadataChildren, const std::string& cdromSource, bool configDrive = true);

}  // namespace vcd::testing
