// A process's name, as the kernel gives it.
#include "host/process_name.h"

#include "util/file_io.h"

namespace vcd {

std::string processName(const std::filesystem::path& proc, pid_t pid) {
  std::string name = readKernelFile(proc / std::to_string(pid) / "comm");
  if (!name.empty() && name.back() == '\n') name.pop_back();
  return name;
}

}  // namespace vcd
