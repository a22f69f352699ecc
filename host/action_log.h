// Where the hook and the CLI report what they did: syslog (ident virt-configdrive), one line per action.
#pragma once

#include <iosfwd>
#include <string>

namespace vcd {

class ActionLog {
 public:
  virtual ~ActionLog() = default;
  virtual void info(const std::string& line) = 0;
  virtual void warning(const std::string& line) = 0;
};

// A problem as the hook and the CLI's watch report it: "virt-configdrive: <message>" as one line (oneLine) on err,
// and the same line in the log as a warning.
void reportProblem(std::ostream& err, ActionLog& log, const std::string& message);

// Whether fd is the stream systemd connected to its journal (JOURNAL_STREAM, "device:inode", systemd.exec(5)). A
// service's lines that also go to syslog would otherwise reach the journal twice.
bool isJournalStream(int fd);

class SyslogActionLog : public ActionLog {
 public:
  SyslogActionLog();
  ~SyslogActionLog() override;
  void info(const std::string& line) override;
  void warning(const std::string& line) override;
};

}  // namespace vcd
