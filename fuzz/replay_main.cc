// fuzz_replay TARGET SECONDS FILE…: runs a fuzz target over files (the seed corpus and every crash kept as a
// regression input), as part of the tests; exits 0 when every one of them is handled within SECONDS each, the bound
// scripts/fuzz gives libFuzzer (-timeout): a regression kept as timeout-* that is slow again fails here too.
#include <signal.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include "fuzz/fuzz_targets.h"

namespace {

const char* currentInput = "";

// Only async-signal-safe calls: write(2) and _exit(2).
void overTime(int) {
  const char prefix[] = "fuzz_replay: over the time bound on ";
  ssize_t ignored = ::write(2, prefix, sizeof prefix - 1);
  ignored = ::write(2, currentInput, std::strlen(currentInput));
  ignored = ::write(2, "\n", 1);
  (void)ignored;
  ::_exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: fuzz_replay domain_drive|host_config|inspect SECONDS FILE...\n";
    return 2;
  }
  vcd::fuzz::Target target = vcd::fuzz::targetNamed(argv[1]);
  if (target == nullptr) {
    std::cerr << "fuzz_replay: no target " << argv[1] << '\n';
    return 2;
  }
  const unsigned seconds = static_cast<unsigned>(std::strtoul(argv[2], nullptr, 10));
  if (seconds == 0) {
    std::cerr << "fuzz_replay: SECONDS must be a positive number, not '" << argv[2] << "'\n";
    return 2;
  }
  ::signal(SIGALRM, overTime);
  for (int i = 3; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    currentInput = argv[i];
    ::alarm(seconds);
    target(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    ::alarm(0);
  }
  std::cout << argc - 3 << " inputs handled by " << argv[1] << " within " << seconds << " s each\n";
  return 0;
}
