// A hook that calls one of doctor's functions: the binary HookBinaryHoldsNoDoctor must refuse, so that a check
// that can no longer fail is seen.
#include <string>

#include "doctor/apparmor_profile.h"

namespace vcd {

int runHook(int argc) { return aareMatches("/etc/libvirt/hooks/**", std::to_string(argc)) ? 1 : 0; }

}  // namespace vcd

int main(int argc, char**) { return vcd::runHook(argc); }
