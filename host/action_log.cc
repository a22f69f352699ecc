// Where the hook and the CLI report what they did: syslog (ident virt-configdrive), one line per action.
#include "host/action_log.h"

#include <sys/stat.h>
#include <syslog.h>

#include <cstdlib>
#include <ostream>

#include "util/error.h"

namespace vcd {

void reportProblem(std::ostream& err, ActionLog& log, const std::string& message) {
  std::string line = oneLine(message);
  err << "virt-configdrive: " << line << std::endl;
  log.warning(line);
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

SyslogActionLog::SyslogActionLog() { ::openlog("virt-configdrive", LOG_PID, LOG_DAEMON); }

SyslogActionLog::~SyslogActionLog() { ::closelog(); }

// Lines carry values others chose (domain names, file names): one bounded printable line each.
void SyslogActionLog::info(const std::string& line) { ::syslog(LOG_INFO, "%s", oneLine(line).c_str()); }

void SyslogActionLog::warning(const std::string& line) { ::syslog(LOG_WARNING, "%s", oneLine(line).c_str()); }

}  // namespace vcd
