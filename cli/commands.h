// The CLI's commands. Each takes its arguments as its row of the command reference parsed them, and returns the
// exit status; the row (cli/command_reference.cc) names the function.
#pragma once

#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "cli/command_line.h"
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

int runEnable(const ParsedArguments& args, const CommandContext& context);
int runUpdate(const ParsedArguments& args, const CommandContext& context);
int runWatch(const ParsedArguments& args, const CommandContext& context);
int runShow(const ParsedArguments& args, const CommandContext& context);
int runStatus(const ParsedArguments& args, const CommandContext& context);
int runKnownHosts(const ParsedArguments& args, const CommandContext& context);
int runDisable(const ParsedArguments& args, const CommandContext& context);
int runBuild(const ParsedArguments& args, const CommandContext& context);
int runInspect(const ParsedArguments& args, const CommandContext& context);
int runDoctor(const ParsedArguments& args, const CommandContext& context);

}  // namespace vcd
