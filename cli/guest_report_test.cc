#include "cli/guest_report.h"

#include <gtest/gtest.h>

namespace vcd {
namespace {

using nlohmann::json;

TEST(GuestReport, AFingerprintIsTheOneSshKeygenPrints) {
  // ssh-keygen -lf of this key: 256 SHA256:2s1YgMlIMo2DFsHWxD7+uvJOX191DEKysL/X2xzJkQs root@t (ED25519)
  EXPECT_EQ(sshFingerprint("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAsY1trOhT/fjJ2X53r0OU9jUdBoxO2dg/GSPuYgAojQ root@t\n"),
            "SHA256:2s1YgMlIMo2DFsHWxD7+uvJOX191DEKysL/X2xzJkQs");
  EXPECT_EQ(sshFingerprint("ssh-ed25519"), std::nullopt);
  EXPECT_EQ(sshFingerprint("ssh-ed25519 not*base64"), std::nullopt);
}

TEST(GuestReport, CloudInitIsDoneRunningFailedOrNotStarted) {
  EXPECT_EQ(cloudInitState(std::nullopt, std::nullopt)["status"], "not started");
  json status = json::parse(R"({"v1": {"datasource": "DataSourceConfigDrive [net,ver=2][source=/dev/sr1]",
      "stage": null, "init": {"errors": [], "recoverable_errors": {}},
      "modules-final": {"errors": [], "recoverable_errors": {"WARNING": ["Deprecated key"]}}}})");
  json result = json::parse(R"({"v1": {"datasource": "DataSourceConfigDrive", "errors": []}})");
  json done = cloudInitState(status, result);
  EXPECT_EQ(done["status"], "done");
  EXPECT_EQ(done["datasource"], "DataSourceConfigDrive [net,ver=2][source=/dev/sr1]");
  EXPECT_EQ(done["recoverable_errors"], json::parse(R"({"modules-final": {"WARNING": ["Deprecated key"]}})"));
  EXPECT_EQ(cloudInitState(status, std::nullopt)["status"], "running") << "between its stages: no result yet";
  status["v1"]["stage"] = "modules-config";
  EXPECT_EQ(cloudInitState(status, result)["status"], "running");
  status["v1"]["stage"] = nullptr;
  status["v1"]["modules-final"]["errors"] = {"('scripts_user', RuntimeError('runparts: 1 failed'))"};
  result["v1"]["errors"] = {"('scripts_user', RuntimeError('runparts: 1 failed'))", "a result's own"};
  json failed = cloudInitState(status, result);
  EXPECT_EQ(failed["status"], "error");
  EXPECT_EQ(failed["errors"], json::array({"modules-final: ('scripts_user', RuntimeError('runparts: 1 failed'))",
                                           "result: a result's own"}))
      << "result.json repeats the stages' errors";
}

}  // namespace
}  // namespace vcd
