// Where the hook and the CLI report what they did: syslog (ident virt-configdrive), one line per action.
#pragma once

#include <string>

namespace vcd {

class ActionLog {
 public:
  virtual ~ActionLog() = default;
  virtual void info(const std::string& line) = 0;
  virtual void warning(const std::string& line) = 0;
};

class SyslogActionLog : public ActionLog {
 public:
  SyslogActionLog();
  ~SyslogActionLog() override;
  void info(const std::string& line) override;
  void warning(const std::string& line) override;
};

}  // namespace vcd
