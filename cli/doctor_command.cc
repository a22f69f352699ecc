// `virt-configdrive doctor`: checks this host (the hook, AppArmor, libvirt, the pool, the files, qemu's access)
// and prints one row per check; exits 1 on any problem.
#include <pugixml.hpp>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <optional>

#include "cli/command_reference.h"
#include "cli/commands.h"
#include "doctor/host_checks.h"
#include "util/error.h"
#include "virt/libvirt_session.h"

namespace vcd {

namespace {

PoolState poolState(const LibvirtSession& libvirt, const std::string& name) {
  StoragePoolState pool = libvirt.storagePool(name);
  return PoolState{name, pool.defined, pool.active, pool.autostart, pool.path};
}

// The DAC base label of libvirt's capabilities, "+64055:+107": who qemu runs as.
QemuUser qemuUser(const LibvirtSession& libvirt) {
  std::string xml = libvirt.capabilitiesXml();
  pugi::xml_document doc;
  doc.load_string(xml.c_str());
  for (pugi::xml_node model : doc.child("capabilities").child("host").children("secmodel")) {
    if (std::string(model.child_value("model")) != "dac") continue;
    unsigned uid = 0, gid = 0;
    if (std::sscanf(model.child_value("baselabel"), "+%u:+%u", &uid, &gid) == 2) return QemuUser{uid, gid};
  }
  throw Error("libvirt's capabilities name no DAC label for qemu");
}

// The check's row, or a problem row carrying the error that stopped it.
CheckRow guarded(const std::string& check, const std::function<CheckRow()>& body) {
  try {
    return body();
  } catch (const Error& error) {
    return {check, Verdict::Problem, error.what()};
  }
}

void printTable(const std::vector<CheckRow>& rows, std::ostream& out) {
  std::size_t width = 5;
  for (const CheckRow& row : rows) width = std::max(width, row.check.size());
  auto column = [&](const std::string& text, std::size_t size) { return text + std::string(size - text.size(), ' '); };
  out << column("CHECK", width) << "  RESULT   DETAIL\n";
  for (const CheckRow& row : rows) {
    const char* verdict = row.verdict == Verdict::Ok ? "ok" : row.verdict == Verdict::Note ? "note" : "problem";
    out << column(row.check, width) << "  " << column(verdict, 7) << "  " << row.detail << '\n';
  }
}

}  // namespace

int runDoctor(const ParsedArguments& parsed, const CommandContext& context) {
  if (!parsed.operands.empty()) throw UsageError("doctor takes no operand: " + parsed.operands.front());
  const HostPaths& paths = context.paths;

  std::vector<CheckRow> rows;
  HookInstallation hook = inspectHookInstallation(paths.hooksDir);
  rows.push_back(checkHookInstalled(hook, paths.hooksDir));
  rows.push_back(checkHookAllowedByAppArmor(hook, paths.apparmorDir));

  std::optional<LibvirtSession> libvirt;
  try {
    libvirt.emplace(context.uri);
    rows.push_back(guarded("libvirt version", [&] { return checkLibvirtVersion(libvirt->daemonVersion()); }));
  } catch (const Error& error) {
    rows.push_back({"libvirt", Verdict::Problem, std::string(error.what()) + ": is the daemon running?"});
  }

  std::optional<DaemonProcess> daemon = findHookDaemon();
  std::optional<FileTime> lastScan;
  if (daemon) lastScan = lastHookScan(paths.runtimeDir, daemon->name, daemon->pid);
  rows.push_back(checkHookPickedUp(hook, daemon, lastScan));

  HostConfig config;
  CheckRow configRow = checkHostConfig(paths.configFile, config);
  std::optional<std::filesystem::path> poolPath;
  rows.push_back(guarded("pool", [&] {
    poolPath = resolvePoolPath(config, paths.storageDir);
    if (!libvirt) return CheckRow{"pool", Verdict::Note, "not checked without libvirt"};
    return checkPool(poolState(*libvirt, config.pool), *poolPath);
  }));
  rows.push_back(configRow);
  rows.push_back(checkSecretKey(paths.secretFile));
  if (poolPath) rows.push_back(checkRoom(*poolPath));
  if (poolPath && libvirt) {
    rows.push_back(guarded("qemu can read drives", [&] {
      return checkQemuCanReadDrives(qemuUser(*libvirt), *poolPath, dynamicOwnership(paths.qemuConfig));
    }));
  }
  printTable(rows, context.out);
  bool healthy =
      std::none_of(rows.begin(), rows.end(), [](const CheckRow& row) { return row.verdict == Verdict::Problem; });
  return healthy ? 0 : 1;
}

}  // namespace vcd
