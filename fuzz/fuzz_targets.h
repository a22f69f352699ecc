// What the fuzzers drive, one function per target: hostile bytes in, vcd::Error (a clean refusal) or a result
// out. Anything else (a crash, a sanitizer report, an abort from a broken invariant) is a finding. Shared by the
// libFuzzer entry points (scripts/fuzz) and by fuzz_replay, which runs the corpus and every kept crash in the
// tests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace vcd::fuzz {

// Domain XML as the hook reads it → the drive's content → ISO bytes → read back and inspected.
void domainDrive(const std::uint8_t* data, std::size_t size);

// config.json text → the host config.
void hostConfig(const std::uint8_t* data, std::size_t size);

// Arbitrary bytes as an ISO image → inspect's report, as `inspect --json` prints it.
void inspect(const std::uint8_t* data, std::size_t size);

// The target of that name; nullptr when there is none.
using Target = void (*)(const std::uint8_t*, std::size_t);
Target targetNamed(const std::string& name);

}  // namespace vcd::fuzz
