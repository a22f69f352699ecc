#include "domain/domain_editor.h"

#include <gtest/gtest.h>
#include <pugixml.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "tests/test_support.h"
#include "util/error.h"

namespace vcd {
namespace {

using testing::kTestUuid;

const std::string kIso = std::string("/var/lib/libvirt/configdrive/") + kTestUuid + ".iso";

std::string domainWith(const std::string& machine, const std::string& disks) {
  return "<domain type='kvm'><name>web1</name><uuid>" + std::string(kTestUuid) +
         "</uuid><os><type arch='x86_64' machine='" + machine + "'>hvm</type></os><devices>" +
         "<emulator>/usr/bin/qemu-system-x86_64</emulator>" + disks + "</devices></domain>";
}

const char* const kVirtioDisk =
    "<disk type='file' device='disk'><source file='/v/web1.qcow2'/><target dev='vda' bus='virtio'/></disk>";

ConfigDriveMetadata hostnameOnly() {
  ConfigDriveMetadata m;
  m.hostname = "web1";
  return m;
}

TEST(DomainEditor, I440fxWithoutCdromGetsAnEmptyFirstAndTheDriveOnHdd) {
  EnabledDefinition enabled = enableConfigDrive(domainWith("pc-i440fx-7.2", kVirtioDisk), hostnameOnly(), kIso);
  EXPECT_TRUE(enabled.addedEmptyCdrom);
  EXPECT_EQ(enabled.cdrom.target, "hdd");
  EXPECT_EQ(enabled.cdrom.bus, "ide");
  DomainDefinition d = parseDomainXml(enabled.xml);
  ASSERT_EQ(d.cdroms.size(), 2u);
  EXPECT_EQ(d.cdroms[0].target, "hdc");
  EXPECT_EQ(d.cdroms[0].sourceFile, "");
  EXPECT_EQ(d.cdroms[1].sourceFile, kIso);
  EXPECT_EQ(d.configDrive, hostnameOnly());
  EXPECT_EQ(enabled.xml.find("<address"), std::string::npos);
}

TEST(DomainEditor, AGuestAgentChannelIsAddedOnceAfterTheOtherChannels) {
  const std::string spice = "<channel type='spicevmc'><target type='virtio' name='com.redhat.spice.0'/></channel>";
  std::string xml = withGuestAgentChannel(domainWith("pc", kVirtioDisk + spice));
  EXPECT_TRUE(parseDomainXml(xml).guestAgentChannel);
  EXPECT_LT(xml.find("com.redhat.spice.0"), xml.find("org.qemu.guest_agent.0")) << xml;
  EXPECT_NE(xml.find("mode=\"bind\""), std::string::npos) << xml;
  EXPECT_EQ(xml.find("path="), std::string::npos) << "libvirt chooses the socket's path: " << xml;
  EXPECT_EQ(withGuestAgentChannel(xml), xml) << "a domain that has one keeps it as it is";
  EXPECT_FALSE(parseDomainXml(domainWith("pc", spice)).guestAgentChannel) << "another channel is not the agent's";
}

TEST(DomainEditor, ExistingCdromStaysFirst) {
  std::string cdrom =
      "<disk type='file' device='cdrom'><source file='/isos/debian.iso'/><target dev='hda' bus='ide'/></disk>";
  EnabledDefinition enabled = enableConfigDrive(domainWith("pc", cdrom), hostnameOnly(), kIso);
  EXPECT_FALSE(enabled.addedEmptyCdrom);
  EXPECT_EQ(enabled.cdrom.target, "hdd");
  EXPECT_EQ(parseDomainXml(enabled.xml).cdroms.size(), 2u);
}

TEST(DomainEditor, HddTakenMeansTheNextFreeSlotAfterTheFirstCdrom) {
  std::string disks =
      "<disk type='file' device='cdrom'><target dev='hdb' bus='ide'/></disk>"
      "<disk type='file' device='disk'><source file='/v/d.img'/><target dev='hdd' bus='ide'/></disk>";
  EXPECT_EQ(enableConfigDrive(domainWith("pc", disks), hostnameOnly(), kIso).cdrom.target, "hdc");
}

TEST(DomainEditor, NoFreeIdeSlotIsAnError) {
  std::string disks;
  for (const char* dev : {"hda", "hdb", "hdc", "hdd"}) {
    disks += std::string("<disk type='file' device='cdrom'><target dev='") + dev + "' bus='ide'/></disk>";
  }
  EXPECT_THROW(enableConfigDrive(domainWith("pc", disks), hostnameOnly(), kIso), Error);
}

TEST(DomainEditor, Q35GetsSataAfterEveryOtherSataDevice) {
  std::string disks = std::string(kVirtioDisk) +
                      "<disk type='file' device='cdrom'><target dev='sda' bus='sata'/></disk>"
                      "<disk type='file' device='disk'><source file='/v/b.img'/><target dev='sdb' bus='sata'/></disk>";
  EnabledDefinition enabled = enableConfigDrive(domainWith("pc-q35-7.2", disks), hostnameOnly(), kIso);
  EXPECT_EQ(enabled.cdrom.target, "sdc");
  EXPECT_EQ(enabled.cdrom.bus, "sata");
}

TEST(DomainEditor, Q35WithoutCdromGetsSdaEmptyAndSdbDrive) {
  EnabledDefinition enabled = enableConfigDrive(domainWith("q35", kVirtioDisk), hostnameOnly(), kIso);
  DomainDefinition d = parseDomainXml(enabled.xml);
  ASSERT_EQ(d.cdroms.size(), 2u);
  EXPECT_EQ(d.cdroms[0].target, "sda");
  EXPECT_EQ(d.cdroms[1].target, "sdb");
}

std::string aarch64Virt(const std::string& devices) {
  return "<domain type='qemu'><name>arm1</name><uuid>" + std::string(kTestUuid) +
         "</uuid><os><type arch='aarch64' machine='virt'>hvm</type></os><devices>" +
         "<emulator>/usr/bin/qemu-system-aarch64</emulator>" + devices + "</devices></domain>";
}

// The <controller type='scsi'> elements of a domain XML, as "index model".
std::vector<std::string> scsiControllers(const std::string& xml) {
  pugi::xml_document doc;
  EXPECT_TRUE(doc.load_string(xml.c_str()));
  std::vector<std::string> found;
  for (pugi::xml_node controller : doc.child("domain").child("devices").children("controller")) {
    if (std::string_view(controller.attribute("type").value()) != "scsi") continue;
    found.push_back(std::string(controller.attribute("index").value()) + " " + controller.attribute("model").value());
  }
  return found;
}

TEST(DomainEditor, Aarch64VirtGetsScsiOnAnAddedVirtioScsiController) {
  EnabledDefinition enabled = enableConfigDrive(aarch64Virt(kVirtioDisk), hostnameOnly(), kIso);
  EXPECT_EQ(enabled.cdrom.bus, "scsi");
  EXPECT_EQ(enabled.cdrom.target, "sdb");
  EXPECT_TRUE(enabled.addedEmptyCdrom);
  DomainDefinition d = parseDomainXml(enabled.xml);
  ASSERT_EQ(d.cdroms.size(), 2u);
  EXPECT_EQ(d.cdroms[0].target, "sda");
  EXPECT_EQ(d.cdroms[0].bus, "scsi");
  EXPECT_EQ(scsiControllers(enabled.xml), std::vector<std::string>{"0 virtio-scsi"});
}

TEST(DomainEditor, AnExistingScsiControllerIsReused) {
  std::string devices = std::string(kVirtioDisk) + "<controller type='scsi' index='0' model='virtio-scsi'/>" +
                        "<disk type='file' device='disk'><source file='/v/b.img'/><target dev='sda' bus='scsi'/>"
                        "</disk><controller type='pci' index='0' model='pcie-root'/>";
  EnabledDefinition enabled = enableConfigDrive(aarch64Virt(devices), hostnameOnly(), kIso);
  EXPECT_EQ(scsiControllers(enabled.xml), std::vector<std::string>{"0 virtio-scsi"});
  EXPECT_EQ(enabled.cdrom.target, "sdc");
}

TEST(DomainEditor, EveryMachineWithoutIdeOrSataGetsScsi) {
  for (const char* machine : {"virt", "virt-7.2", "microvm", "s390-ccw-virtio", "pseries"}) {
    DomainDefinition d;
    d.machine = machine;
    EXPECT_EQ(defaultCdromBus(d), "scsi") << machine;
  }
  for (const char* machine : {"pc", "pc-i440fx-7.2", "pc-1.3", "isapc", "ubuntu", "pc-i440fx-jammy"}) {
    DomainDefinition d;
    d.arch = "x86_64";
    d.machine = machine;
    EXPECT_EQ(defaultCdromBus(d), "ide") << machine;
  }
  for (const char* machine : {"q35", "pc-q35-7.2", "ubuntu-q35", "pc-q35-rhel8.6.0"}) {
    DomainDefinition d;
    d.arch = "x86_64";
    d.machine = machine;
    EXPECT_EQ(defaultCdromBus(d), "sata") << machine;
  }
}

TEST(DomainEditor, BusOverridesTheMachinesChoice) {
  EnabledDefinition enabled = enableConfigDrive(domainWith("pc-q35-7.2", kVirtioDisk), hostnameOnly(), kIso, "scsi");
  EXPECT_EQ(enabled.cdrom.bus, "scsi");
  EXPECT_EQ(scsiControllers(enabled.xml), std::vector<std::string>{"0 virtio-scsi"});
  EXPECT_EQ(enableConfigDrive(domainWith("pc", kVirtioDisk), hostnameOnly(), kIso, "sata").cdrom.bus, "sata");
}

TEST(DomainEditor, ABusTheMachineCannotHaveIsRefusedNamingTheMachine) {
  try {
    enableConfigDrive(aarch64Virt(kVirtioDisk), hostnameOnly(), kIso, "ide");
    FAIL() << "ide accepted on aarch64 virt";
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(), "--bus ide: the machine 'virt' (aarch64) has no IDE bus; it takes sata or scsi");
  }
  try {
    enableConfigDrive(domainWith("pc-q35-7.2", kVirtioDisk), hostnameOnly(), kIso, "ide");
    FAIL() << "ide accepted on q35";
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(), "--bus ide: the machine 'pc-q35-7.2' (x86_64) has no IDE bus; it takes sata or scsi");
  }
  DomainDefinition s390;
  s390.arch = "s390x";
  s390.machine = "s390-ccw-virtio";
  try {
    checkCdromBus(s390, "sata");
    FAIL() << "sata accepted on s390-ccw-virtio";
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(), "--bus sata: the machine 's390-ccw-virtio' (s390x) has no SATA bus; it takes scsi");
  }
  DomainDefinition isapc;
  isapc.machine = "isapc";
  EXPECT_THROW(checkCdromBus(isapc, "scsi"), Error) << "isapc has no PCI for virtio-scsi";
  EXPECT_NO_THROW(checkCdromBus(isapc, "ide"));
}

TEST(DomainEditor, SataOnVirtIsAccepted) {
  EnabledDefinition enabled = enableConfigDrive(aarch64Virt(kVirtioDisk), hostnameOnly(), kIso, "sata");
  EXPECT_EQ(enabled.cdrom.bus, "sata");
  EXPECT_EQ(enabled.cdrom.target, "sdb");
  EXPECT_TRUE(scsiControllers(enabled.xml).empty());
}

TEST(DomainEditor, AnEnabledDriveOnAnotherBusIsMoved) {
  std::string once = enableConfigDrive(domainWith("pc", kVirtioDisk), hostnameOnly(), kIso).xml;
  EnabledDefinition moved = enableConfigDrive(once, hostnameOnly(), kIso, "scsi");
  EXPECT_EQ(moved.cdrom.bus, "scsi");
  EXPECT_EQ(moved.cdrom.target, "sda");
  DomainDefinition d = parseDomainXml(moved.xml);
  ASSERT_EQ(d.cdroms.size(), 2u) << "the ide drive stayed beside the new one";
  EXPECT_EQ(d.cdroms[0].target, "hdc");
  EXPECT_EQ(d.cdroms[1].sourceFile, kIso);
  EXPECT_EQ(enableConfigDrive(moved.xml, hostnameOnly(), kIso, "scsi").cdrom.target, "sda") << "kept when the same";
}

TEST(DomainEditor, EnablingTwiceKeepsOneDriveAndTheNewMetadata) {
  std::string once = enableConfigDrive(domainWith("pc", kVirtioDisk), hostnameOnly(), kIso).xml;
  ConfigDriveMetadata other;
  other.hostname = "web2";
  EnabledDefinition twice = enableConfigDrive(once, other, kIso);
  DomainDefinition d = parseDomainXml(twice.xml);
  EXPECT_EQ(d.cdroms.size(), 2u);
  EXPECT_EQ(d.configDrive->hostname, "web2");
  EXPECT_EQ(twice.cdrom.target, "hdd");
}

TEST(DomainEditor, DisableRemovesDriveAndMetadataOnly) {
  std::string other = "<foo:bar xmlns:foo='urn:other'/>";
  std::string xml = domainWith("pc", kVirtioDisk);
  xml.replace(xml.find("<os>"), 0, "<metadata>" + other + "</metadata>");
  std::string enabled = enableConfigDrive(xml, hostnameOnly(), kIso).xml;
  std::string disabled = disableConfigDrive(enabled);
  DomainDefinition d = parseDomainXml(disabled);
  EXPECT_FALSE(d.configDrive);
  ASSERT_EQ(d.cdroms.size(), 1u);
  EXPECT_EQ(d.cdroms[0].sourceFile, "");
  EXPECT_NE(disabled.find("urn:other"), std::string::npos);
  EXPECT_NE(disabled.find("web1.qcow2"), std::string::npos);
}

TEST(DomainEditor, CdromDeviceXmlInsertsOrEjects) {
  CdromSlot slot{"hdd", "ide", ""};
  EXPECT_EQ(cdromDeviceXml(slot, kIso),
            "<disk type=\"file\" device=\"cdrom\"><driver name=\"qemu\" type=\"raw\"/><source file=\"" + kIso +
                "\"/><target dev=\"hdd\" bus=\"ide\"/><readonly/></disk>");
  EXPECT_EQ(cdromDeviceXml(slot, "").find("<source"), std::string::npos);
}

}  // namespace
}  // namespace vcd

namespace vcd {
namespace {

TEST(DomainEditor, RewritingTheSourceChangesThatAttributeAndNothingElse) {
  std::string xml = "<domain type='qemu'>\n  <name>web1</name>\n  <uuid>" + std::string(testing::kTestUuid) +
                    "</uuid>\n  <!-- kept -->\n  <devices>\n    <disk type='file' device='cdrom'>\n"
                    "      <source file='/old/pool/" +
                    testing::kTestUuid +
                    ".iso'/>\n"
                    "      <target dev='hdd' bus='ide'/>\n    </disk>\n"
                    "    <disk type='file' device='cdrom'><source file='/isos/other.iso'/></disk>\n"
                    "  </devices>\n  <description>a &amp; b</description>\n</domain>";
  std::string expected = xml;
  std::string oldPath = "/old/pool/" + std::string(testing::kTestUuid) + ".iso";
  std::string newPath = "/new/pool/" + std::string(testing::kTestUuid) + ".iso";
  expected.replace(expected.find(oldPath), oldPath.size(), newPath);
  EXPECT_EQ(withConfigDriveSource(xml, newPath), expected);
}

TEST(DomainEditor, RewritingWithoutAConfigDriveCdromIsAnError) {
  EXPECT_THROW(withConfigDriveSource(testing::domainXml("", ""), "/x.iso"), Error);
}

}  // namespace
}  // namespace vcd
