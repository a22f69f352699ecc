// Helpers shared by the unit tests: a temporary directory and domain XML fixtures.
#include "tests/test_support.h"

#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace vcd::testing {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "vcd-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

void writeText(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string domainXml(const std::string& metadataChildren, const std::string& cdromSource, bool configDrive) {
  std::string metadata;
  if (configDrive) {
    metadata = "<metadata><cd:configdrive xmlns:cd='urn:virt-configdrive:metadata:1'>" + metadataChildren +
               "</cd:configdrive></metadata>";
  }
  std::string cdrom;
  if (!cdromSource.empty()) {
    cdrom = "<disk type='file' device='cdrom'><driver name='qemu' type='raw'/><source file='" + cdromSource +
            "'/><target dev='hdd' bus='ide'/><readonly/></disk>";
  }
  return "<domain type='qemu'><name>web1</name><uuid>" + std::string(kTestUuid) +
         "</uuid><os><type arch='x86_64' machine='pc-i440fx-7.2'>hvm</type></os>" + metadata +
         "<devices><disk type='file' device='cdrom'><target dev='hdc' bus='ide'/><readonly/></disk>" + cdrom +
         "<interface type='network'><mac address='52:54:00:12:34:56'/><source network='default'/></interface>"
         "</devices></domain>";
}

}  // namespace vcd::testing
