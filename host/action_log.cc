// Where the hook and the CLI report what they did: syslog (ident virt-configdrive), one line per action.
#include "host/action_log.h"

#include <syslog.h>

#include <ostream>

#include "util/error.h"

namespace vcd {

void reportProblem(std::ostream& err, ActionLog& log, const std::string& message) {
  std::string line = oneLine(message);
  err << "virt-configdrive: " << line << std::endl;
  log.warning(line);
}

SyslogActionLog::SyslogActionLog() { ::openlog("virt-configdrive", LOG_PID, LOG_DAEMON); }

SyslogActionLog::~SyslogActionLog() { ::closelog(); }

// Lines carry values others chose (domain names, file names): one bounded printable line each.
void SyslogActionLog::info(const std::string& line) { ::syslog(LOG_INFO, "%s", oneLine(line).c_str()); }

void SyslogActionLog::warning(const std::string& line) { ::syslog(LOG_WARNING, "%s", oneLine(line).c_str()); }

}  // namespace vcd
