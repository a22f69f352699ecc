// Where the hook and the CLI report what they did: syslog (ident virt-configdrive), one line per action.
#include "host/action_log.h"

#include <sys/stat.h>
#include <syslog.h>

#include <cstdlib>
#include <ostream>

#include "util/text.h"

namespace vcd {

namespace {

constexpr const char* kProgramName = "virt-configdrive";

std::string warningText(const std::string& subject, const std::string& warning) {
  return (subject.empty() ? "" : subject + ": ") + "warning: " + warning;
}

}  // namespace

std::string problemLine(const std::string& message) {
  std::string line = kProgramName;
  line.append(": ").append(printableLine(message));
  return line;
}

void reportProblem(std::ostream& err, ActionLog& log, const std::string& message) {
  err << problemLine(message) << std::endl;
  log.warning(printableLine(message));
}

void reportWarning(std::ostream& err, const std::string& subject, const std::string& warning) {
  err << problemLine(warningText(subject, warning)) << '\n';
}

void reportWarning(std::ostream& err, ActionLog& log, const std::string& subject, const std::string& warning) {
  err << problemLine(warningText(subject, warning)) << std::endl;
  log.warning(printableLine(subject.empty() ? warning : subject + ": " + warning));  // its priority says "warning"
}

bool isJournalStream(int fd) {
  const char* stream = std::getenv("JOURNAL_STREAM");
  if (stream == nullptr) return false;
  char* end = nullptr;
  unsigned long long device = std::strtoull(stream, &end, 10);
  if (end == stream || *end != ':') return false;
  const char* inodeText = end + 1;
  unsigned long long inode = std::strtoull(inodeText, &end, 10);
  if (end == inodeText || *end != '\0') return false;
  struct stat status {};
  return ::fstat(fd, &status) == 0 && status.st_dev == device && status.st_ino == inode;
}

SyslogActionLog::SyslogActionLog() { ::openlog(kProgramName, LOG_PID, LOG_DAEMON); }

SyslogActionLog::~SyslogActionLog() { ::closelog(); }

// Lines carry values others chose (domain names, file names): one bounded printable line each.
void SyslogActionLog::info(const std::string& line) { ::syslog(LOG_INFO, "%s", printableLine(line).c_str()); }

void SyslogActionLog::warning(const std::string& line) { ::syslog(LOG_WARNING, "%s", printableLine(line).c_str()); }

}  // namespace vcd
