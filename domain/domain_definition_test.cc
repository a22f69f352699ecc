#include "domain/domain_definition.h"

#include <gtest/gtest.h>

#include "tests/test_support.h"
#include "util/error.h"

namespace vcd {
namespace {

using testing::domainXml;
using testing::kTestUuid;

const std::string kIsoPath = std::string("/var/lib/libvirt/configdrive/") + kTestUuid + ".iso";

TEST(DomainDefinition, ReadsIdentityCdromsAndInterfaces) {
  DomainDefinition d = parseDomainXml(domainXml("<cd:hostname>h</cd:hostname>", kIsoPath));
  EXPECT_EQ(d.name, "web1");
  EXPECT_EQ(d.uuid, kTestUuid);
  EXPECT_EQ(d.machine, "pc-i440fx-7.2");
  ASSERT_TRUE(d.configDrive);
  EXPECT_EQ(d.configDrive->hostname, "h");
  ASSERT_EQ(d.cdroms.size(), 2u);
  EXPECT_EQ(d.cdroms[0].target, "hdc");
  EXPECT_EQ(d.cdroms[0].sourceFile, "");
  EXPECT_EQ(d.cdroms[1].bus, "ide");
  EXPECT_EQ(d.interfaceMacs, std::vector<std::string>{"52:54:00:12:34:56"});
}

TEST(DomainDefinition, DomainWithoutMetadataHasNoConfigDrive) {
  EXPECT_FALSE(parseDomainXml(domainXml("", kIsoPath, false)).configDrive);
}

TEST(DomainDefinition, ConfigDriveCdromIsTheOneNamedUuidIso) {
  DomainDefinition d = parseDomainXml(domainXml("", kIsoPath));
  ASSERT_TRUE(configDriveCdrom(d));
  EXPECT_EQ(configDriveCdrom(d)->target, "hdd");
  EXPECT_FALSE(configDriveCdrom(parseDomainXml(domainXml("", "/isos/debian.iso"))));
}

// A CD-ROM left empty by a failed insert is found through the persistent definition, on its own target only.
TEST(DomainDefinition, AnEmptiedConfigDriveCdromGetsThePersistentSource) {
  const DomainDefinition persistent = parseDomainXml(domainXml("", kIsoPath));
  DomainDefinition live = persistent;
  for (CdromSlot& slot : live.cdroms) {
    if (slot.target == "hdd") slot.sourceFile.clear();
  }
  ASSERT_FALSE(configDriveCdrom(live));
  EXPECT_TRUE(fillEmptiedConfigDriveCdrom(live, persistent));
  ASSERT_TRUE(configDriveCdrom(live));
  EXPECT_EQ(configDriveCdrom(live)->target, "hdd");
  EXPECT_EQ(configDriveCdrom(live)->sourceFile, kIsoPath);
  EXPECT_FALSE(fillEmptiedConfigDriveCdrom(live, persistent)) << "a live drive in place is left alone";

  DomainDefinition withoutThatCdrom = parseDomainXml(domainXml("", ""));  // hdc, empty, only
  EXPECT_FALSE(fillEmptiedConfigDriveCdrom(withoutThatCdrom, persistent)) << "another empty CD-ROM is not it";
  EXPECT_FALSE(configDriveCdrom(withoutThatCdrom));
  DomainDefinition noDrive = parseDomainXml(domainXml("", "/isos/debian.iso"));
  EXPECT_FALSE(fillEmptiedConfigDriveCdrom(live, noDrive)) << "a persistent definition without the drive";
}

TEST(DomainDefinition, TwinsAreTheOtherCdromsNamingUuidIso) {
  DomainDefinition d = parseDomainXml(domainXml("", kIsoPath));
  EXPECT_TRUE(configDriveTwins(d).empty());
  d.cdroms[0].sourceFile = "/isos/debian.iso";
  EXPECT_TRUE(configDriveTwins(d).empty()) << "another medium is no twin";
  d.cdroms[0].sourceFile = std::string("/old/pool/") + kTestUuid + ".iso";
  std::vector<CdromSlot> twins = configDriveTwins(d);
  ASSERT_EQ(twins.size(), 1u);
  EXPECT_EQ(configDriveCdrom(d)->target, "hdc") << "the first CD-ROM naming it is the drive";
  EXPECT_EQ(twins[0].target, "hdd");
  EXPECT_EQ(twins[0].sourceFile, kIsoPath);
}

TEST(DomainDefinition, UpperCaseUuidIsCanonicalised) {
  std::string xml = domainXml("", "");
  std::string upper = "6F1C2B4E-8D3A-4C5B-9E7F-0A1B2C3D4E5F";
  xml.replace(xml.find(kTestUuid), upper.size(), upper);
  EXPECT_EQ(parseDomainXml(xml).uuid, kTestUuid);
}

TEST(DomainDefinition, MalformedXmlNamesWhere) {
  try {
    parseDomainXml("<domain><name>x</name><uuid>");
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()).rfind("domain XML is malformed at byte ", 0), 0u) << error.what();
  }
}

TEST(DomainDefinition, BadUuidIsRefused) {
  EXPECT_THROW(parseDomainXml("<domain><name>x</name><uuid>../../etc/passwd</uuid></domain>"), Error);
}

TEST(DomainDefinition, MetadataErrorsNameTheElement) {
  try {
    parseDomainXml(domainXml("<cd:user-data encoding='base64'>@@@@</cd:user-data>", kIsoPath));
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(), "cd:user-data: is not valid base64");
  }
}

TEST(DomainDefinition, ReadsLibosinfoOsId) {
  std::string xml = domainXml("", "");
  xml.replace(xml.find("<metadata>"), 10,
              "<metadata><libosinfo:libosinfo xmlns:libosinfo='http://libosinfo.org/xmlns/libvirt/domain/1.0'>"
              "<libosinfo:os id='http://microsoft.com/win/10'/></libosinfo:libosinfo>");
  EXPECT_EQ(parseDomainXml(xml).osinfoId, "http://microsoft.com/win/10");
}

}  // namespace
}  // namespace vcd
