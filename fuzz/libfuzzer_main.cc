// The libFuzzer entry point of one target, chosen when it is compiled (-DVCD_FUZZ_TARGET=domain_drive …).
#include "fuzz/fuzz_targets.h"

#define VCD_STRINGIFY(x) #x
#define VCD_NAME(x) VCD_STRINGIFY(x)

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const vcd::fuzz::Target target = vcd::fuzz::targetNamed(VCD_NAME(VCD_FUZZ_TARGET));
  target(data, size);
  return 0;
}
