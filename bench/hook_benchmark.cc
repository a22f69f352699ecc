// What the hook and the ISO writer cost, in process: above all what a domain without a config drive pays
// (parsing only), measured beside the bare pugixml parse of the same XML as the baseline.
#include <benchmark/benchmark.h>

#include <pugixml.hpp>
#include <sstream>

#include "hook/hook.h"
#include "iso/iso_writer.h"
#include "tests/test_support.h"

namespace {

using vcd::testing::TempDir;

// A domain XML of realistic size: a few disks and NICs, as virt-install writes them.
std::string realisticDomain(bool configDrive, const std::string& isoPath) {
  std::string xml = vcd::testing::domainXml("<cd:hostname>web1</cd:hostname>", isoPath, configDrive);
  std::string devices;
  for (int i = 0; i < 8; ++i) {
    devices +=
        "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/var/lib/libvirt/"
        "images/disk" +
        std::to_string(i) + ".qcow2'/><target dev='vd" + std::string(1, char('a' + i)) +
        "' bus='virtio'/><address type='pci' domain='0x0000' bus='0x04' slot='0x00' function='0x0'/></disk>"
        "<interface type='network'><mac address='52:54:00:00:00:0" +
        std::to_string(i) + "'/><source network='default'/><model type='virtio'/></interface>";
  }
  xml.replace(xml.find("</devices>"), 0, devices);
  return xml;
}

struct NoLog : vcd::ActionLog {
  void info(const std::string&) override {}
  void warning(const std::string&) override {}
};

int runPrepare(const std::string& xml, const vcd::HostPaths& paths) {
  NoLog log;
  std::ostringstream out, err;
  std::istringstream in(xml);
  vcd::HookContext context{paths, true, 0, log, out, err};
  return vcd::runHook({"web1", "prepare", "begin"}, in, context);
}

void BM_ParseDomainXmlBaseline(benchmark::State& state) {
  std::string xml = realisticDomain(false, "");
  for (auto _ : state) {
    pugi::xml_document doc;
    benchmark::DoNotOptimize(doc.load_buffer(xml.data(), xml.size()));
  }
}
BENCHMARK(BM_ParseDomainXmlBaseline);

void BM_HookPrepareDomainWithoutConfigDrive(benchmark::State& state) {
  TempDir dir;
  vcd::HostPaths paths{dir / "config.json", dir / "secret.key", dir / "storage", dir / "state"};
  std::string xml = realisticDomain(false, "");
  for (auto _ : state) benchmark::DoNotOptimize(runPrepare(xml, paths));
}
BENCHMARK(BM_HookPrepareDomainWithoutConfigDrive);

void BM_HookPrepareUnchangedDrive(benchmark::State& state) {
  TempDir dir;
  vcd::HostPaths paths{dir / "config.json", dir / "secret.key", dir / "storage", dir / "state"};
  vcd::testing::writeText(paths.configFile, "{\"pool_path\": \"" + (dir / "pool").string() + "\"}");
  std::string xml = realisticDomain(true, (dir / "pool" / (std::string(vcd::testing::kTestUuid) + ".iso")).string());
  if (runPrepare(xml, paths) != 0) state.SkipWithError("prepare failed");
  for (auto _ : state) benchmark::DoNotOptimize(runPrepare(xml, paths));
}
BENCHMARK(BM_HookPrepareUnchangedDrive);

void BM_WriteDriveIso(benchmark::State& state) {
  vcd::DriveContent content;
  content.instanceId = vcd::testing::kTestUuid;
  content.hostname = "web1";
  content.userData = std::string(static_cast<std::size_t>(state.range(0)), 'u');
  for (auto _ : state) benchmark::DoNotOptimize(vcd::writeDriveIso(content));
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_WriteDriveIso)->Arg(1 << 10)->Arg(1 << 20);

}  // namespace

BENCHMARK_MAIN();
