// The CLI's data options → a MetadataEdit, reading the files and stdin they name.
#pragma once

#include <istream>
#include <optional>
#include <string>

#include "cli/command_line.h"
#include "domain/metadata_edit.h"
#include "util/secret.h"

namespace vcd {

struct DataOptions {
  MetadataEdit edit;                    // sealedPassword left empty: sealing needs the domain
  std::optional<std::string> password;  // from --password-stdin, never from argv

  DataOptions() = default;
  DataOptions(DataOptions&&) = default;
  DataOptions& operator=(DataOptions&&) = default;
  ~DataOptions() {
    if (password) wipe(*password);
  }
};

// Throws UsageError for conflicting options, Error naming the file or stdin when one cannot be used.
DataOptions readDataOptions(const ParsedArguments& args, std::istream& in);

}  // namespace vcd
