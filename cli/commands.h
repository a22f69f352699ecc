// The CLI's commands (SPEC §6). Each takes the arguments after its name and returns the exit status.
#pragma once

#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "host/action_log.h"
#include "host/host_config.h"

namespace vcd {

struct CommandContext {
  HostPaths paths;
  std::string uri;  // -c/--connect; empty: libvirt's default
  std::istream& in;
  std::ostream& out;
  std::ostream& err;  // warnings only; errors are thrown
  ActionLog& log;
};

int runEnable(const std::vector<std::string>& args, const CommandContext& context);
int runUpdate(const std::vector<std::string>& args, const CommandContext& context);
int runWatch(const std::vector<std::string>& args, const CommandContext& context);
int runShow(const std::vector<std::string>& args, const CommandContext& context);
int runStatus(const std::vector<std::string>& args, const CommandContext& context);
int runKnownHosts(const std::vector<std::string>& args, const CommandContext& context);
int runDisable(const std::vector<std::string>& args, const CommandContext& context);
int runBuild(const std::vector<std::string>& args, const CommandContext& context);
int runInspect(const std::vector<std::string>& args, const CommandContext& context);
int runDoctor(const std::vector<std::string>& args, const CommandContext& context);

}  // namespace vcd
