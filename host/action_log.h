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

// The one way a problem or a warning reaches a person: "virt-configdrive: …", one printable line of bounded length
// (printableLine), on stderr; the hook and `watch` also log it (syslog, as a warning).

// "virt-configdrive: <message>" (one line, without its newline): an error as the mains print it.
std::string problemLine(const std::string& message);

// A problem: problemLine on err, and the same line in the log.
void reportProblem(std::ostream& err, ActionLog& log, const std::string& message);

// A warning: "virt-configdrive: <subject>: warning: <warning>" on err (an empty subject left out), and with a log
// "<subject>: <warning>" there, at the warning priority.
void reportWarning(std::ostream& err, const std::string& subject, const std::string& warning);
void reportWarning(std::ostream& err, ActionLog& log, const std::string& subject, const std::string& warning);

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
