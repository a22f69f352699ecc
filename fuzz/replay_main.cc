// fuzz_replay TARGET FILE…: runs a fuzz target over files (the seed corpus and every crash kept as a regression
// input), as part of the tests; exits 0 when every one of them is handled.
#include <fstream>
#include <iostream>
#include <iterator>

#include "fuzz/fuzz_targets.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: fuzz_replay domain_drive|host_config|inspect FILE...\n";
    return 2;
  }
  vcd::fuzz::Target target = vcd::fuzz::targetNamed(argv[1]);
  if (target == nullptr) {
    std::cerr << "fuzz_replay: no target " << argv[1] << '\n';
    return 2;
  }
  for (int i = 2; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    target(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  }
  std::cout << argc - 2 << " inputs handled by " << argv[1] << '\n';
  return 0;
}
