// virt-configdrive-docs: writes the man page (`man`) or the bash completion (`bash-completion`) to stdout, from
// the command reference that --help prints. Run by the build; not installed.
#include <iostream>
#include <string>

#include "cli/bash_completion.h"
#include "cli/manual_page.h"

int main(int argc, char** argv) {
  std::string what = argc == 2 ? argv[1] : "";
  if (what == "man") {
    std::cout << vcd::manualPage();
  } else if (what == "bash-completion") {
    std::cout << vcd::bashCompletion();
  } else {
    std::cerr << "usage: virt-configdrive-docs man|bash-completion\n";
    return 2;
  }
  return 0;
}
