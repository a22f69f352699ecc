// Secrets in memory: a string wiped when it goes, and a process that no one can dump or trace to read them.
#pragma once

#include <string>

namespace vcd {

// Overwrites the bytes of `text` in a way the compiler keeps (explicit_bzero), then empties it.
void wipe(std::string& text);

// A string holding a key or a clear-text password: wiped when it goes out of scope. Moved, never copied.
class SecretString {
 public:
  SecretString() = default;
  explicit SecretString(std::string value) : value_(std::move(value)) {}
  SecretString(SecretString&& other) noexcept : value_(std::move(other.value_)) { wipe(other.value_); }
  SecretString& operator=(SecretString&& other) noexcept;
  SecretString(const SecretString&) = delete;
  SecretString& operator=(const SecretString&) = delete;
  ~SecretString() { wipe(value_); }

  const std::string& value() const { return value_; }

 private:
  std::string value_;
};

// Marks this process not dumpable (prctl PR_SET_DUMPABLE 0): no core file, its /proc/PID files owned by root, and
// no ptrace by its own user. Called before the process reads a key or a clear-text password. Throws Error when the
// kernel refuses.
void becomeUndumpable();

}  // namespace vcd
