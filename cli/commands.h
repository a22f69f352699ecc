// The CLI's commands (SPEC §6). Each takes the arguments after its name and returns the exit status.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "host/host_config.h"

namespace vcd {

struct CommandContext {
  HostPaths paths;
  std::ostream& out;
};

int runBuild(const std::vector<std::string>& args, const CommandContext& context);
int runInspect(const std::vector<std::string>& args, const CommandContext& context);

}  // namespace vcd
