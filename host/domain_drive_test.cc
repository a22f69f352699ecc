#include "host/domain_drive.h"

#include <gtest/gtest.h>

#include "host/host_secret.h"
#include "tests/test_support.h"

namespace vcd {
namespace {

using testing::TempDir;

// A domain with no password on a host that has a secret.key (any host that ever sealed one): nothing to open, and
// nothing read from the metadata's absent password.
TEST(DomainDrive, ADomainWithoutPasswordGetsNoneWhereTheHostHasAKey) {
  TempDir dir;
  HostPaths paths;
  paths.secretFile = dir / "secret.key";
  HostSecret::loadOrCreate(paths.secretFile);
  DomainDefinition domain = parseDomainXml(testing::domainXml("<cd:hostname>h</cd:hostname>", ""));
  ASSERT_TRUE(domain.configDrive);
  ASSERT_FALSE(domain.configDrive->sealedPassword);
  DriveContent content;
  std::vector<std::string> warnings;
  giveSealedPassword(content, domain, paths, warnings);
  EXPECT_FALSE(content.password);
  EXPECT_EQ(warnings, std::vector<std::string>{});
}

}  // namespace
}  // namespace vcd
