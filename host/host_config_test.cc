#include "host/host_config.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "tests/test_support.h"
#include "util/error.h"

namespace vcd {
namespace {

using testing::TempDir;

std::string errorOf(const std::string& json) {
  try {
    parseHostConfig(json, "config.json");
  } catch (const Error& error) {
    return error.what();
  }
  return "no error";
}

TEST(HostConfig, MissingFileMeansEveryDefault) {
  TempDir dir;
  HostConfig config = loadHostConfig(dir / "config.json");
  EXPECT_EQ(config.pool, "configdrive");
  EXPECT_EQ(config.poolPath, "/var/lib/libvirt/configdrive");
  EXPECT_EQ(config.drive.label, "config-2");
  EXPECT_TRUE(config.deleteOnRelease);
  EXPECT_EQ(config.drive.networkData, NetworkDataMode::None);
  EXPECT_EQ(config.drive.maxUserDataBytes, 1048576u);
}

TEST(HostConfig, ReadsEveryKey) {
  const std::string text = R"({"pool": "cd", "pool_path": "/srv/cd", "label": "CONFIG-2",
      "delete_on_release": false, "network_data": "dhcp", "max_user_data_bytes": 4096,
      "availability_zone": "z", "cloud_identifier": "c", "password_cleartext": true})";
  std::vector<std::string> given;
  const nlohmann::json object = nlohmann::json::parse(text);
  for (const auto& [key, value] : object.items()) given.push_back(key);
  std::vector<std::string> known = hostConfigKeys();
  std::sort(given.begin(), given.end());
  std::sort(known.begin(), known.end());
  EXPECT_EQ(given, known) << "every key config.json takes is read here";
  HostConfig config = parseHostConfig(text, "config.json");
  EXPECT_EQ(config.pool, "cd");
  EXPECT_EQ(config.poolPath, "/srv/cd");
  EXPECT_EQ(config.drive.label, "CONFIG-2");
  EXPECT_FALSE(config.deleteOnRelease);
  EXPECT_EQ(config.drive.networkData, NetworkDataMode::Dhcp);
  EXPECT_EQ(config.drive.maxUserDataBytes, 4096u);
  EXPECT_EQ(config.drive.availabilityZone, "z");
  EXPECT_EQ(config.drive.cloudIdentifier, "c");
  EXPECT_EQ(config.drive.passwordCleartext, true);
}

TEST(HostConfig, UnknownKeyIsRefusedByName) {
  EXPECT_EQ(errorOf(R"({"pool_pth": "/x"})"), "config.json: unknown key \"pool_pth\"");
}

TEST(HostConfig, WrongTypesAndValuesAreRefused) {
  EXPECT_EQ(errorOf(R"({"delete_on_release": "yes"})"), "config.json: \"delete_on_release\" must be true or false");
  EXPECT_EQ(errorOf(R"({"network_data": "static"})"), "config.json: \"network_data\" must be \"none\" or \"dhcp\"");
  EXPECT_EQ(errorOf(R"({"max_user_data_bytes": -1})"),
            "config.json: \"max_user_data_bytes\" must be a positive integer");
  EXPECT_EQ(errorOf(R"({"pool_path": "relative"})"), "config.json: \"pool_path\" must be an absolute path");
  EXPECT_EQ(errorOf(R"({"pool": "../etc"})"), "config.json: \"pool\" must be a plain pool name");
  EXPECT_EQ(errorOf(R"({"label": "a label with spaces"})"),
            "config.json: \"label\" must be 1-32 letters, digits, '-' or '_'");
  EXPECT_EQ(errorOf("[]"), "config.json: must be a JSON object");
  EXPECT_EQ(errorOf("{"), "config.json: is not valid JSON");
}

TEST(HostConfig, PoolXmlTargetPathWinsOverPoolPath) {
  TempDir dir;
  testing::writeText(dir / "configdrive.xml",
                     "<pool type='dir'><name>configdrive</name><target><path>/srv/pools/cd/</path></target></pool>");
  HostConfig config;
  EXPECT_EQ(resolvePoolPath(config, dir.path()), "/srv/pools/cd/");
  config.pool = "other";
  EXPECT_EQ(resolvePoolPath(config, dir.path()), "/var/lib/libvirt/configdrive");
}

TEST(HostConfig, MalformedPoolXmlIsRefusedByName) {
  TempDir dir;
  testing::writeText(dir / "configdrive.xml", "<pool><target>");
  try {
    resolvePoolPath(HostConfig{}, dir.path());
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("configdrive.xml: malformed XML"), std::string::npos);
  }
}

}  // namespace
}  // namespace vcd
