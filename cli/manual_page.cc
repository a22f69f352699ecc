// virt-configdrive(1) in roff, rendered from the command reference.
#include "cli/manual_page.h"

#include <cstdio>

#include "cli/command_reference.h"
#include "host/install_layout.h"

namespace vcd {

namespace {

// A UTF-8 sequence starting at text[at] as a roff glyph, \[uXXXX]; at moves to its last byte.
std::string glyph(const std::string& text, std::size_t& at) {
  unsigned char lead = static_cast<unsigned char>(text[at]);
  std::size_t length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
  unsigned codePoint = lead & (0x7fu >> length);
  for (std::size_t i = 1; i < length && at + 1 < text.size(); ++i) {
    codePoint = (codePoint << 6) | (static_cast<unsigned char>(text[++at]) & 0x3fu);
  }
  char name[16];
  std::snprintf(name, sizeof name, "\\[u%04X]", codePoint);
  return name;
}

// Text as roff prints it: backslashes, hyphens and non-ASCII escaped, no line taken for a request.
std::string roff(const std::string& text) {
  std::string out;
  for (std::size_t at = 0; at < text.size(); ++at) {
    char c = text[at];
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else if (static_cast<unsigned char>(c) >= 0x80) {
      out += glyph(text, at);
    } else {
      out += c;
    }
  }
  if (!out.empty() && (out.front() == '.' || out.front() == '\'')) out.insert(0, "\\&");
  return out;
}

std::string optionItems(const std::vector<OptionReference>& options) {
  std::string out;
  for (const OptionReference& option : options) {
    out += ".TP\n";
    if (!option.alias.empty()) out += "\\fB" + roff(option.alias) + "\\fR, ";
    out += "\\fB" + roff(option.name) + "\\fR";
    if (option.valueOptional) {
      out += "[=\\fI" + roff(option.value) + "\\fR]";
    } else if (!option.value.empty()) {
      out += " \\fI" + roff(option.value) + "\\fR";
    }
    out += '\n' + roff(option.text) + '\n';
  }
  return out;
}

std::string section(const ManualSection& manual) {
  std::string out = ".SH " + manual.title + '\n';
  for (const std::string& paragraph : manual.paragraphs) out += ".PP\n" + roff(paragraph) + '\n';
  return out;
}

}  // namespace

std::string manualPage() {
  const std::vector<ManualSection>& sections = manualSections();
  std::string out = ".\\\" Generated from cli/command_reference.cc, as --help is: edit that, not this.\n";
  // Appended piece by piece: GCC 12 at -O3 takes the temporaries of a chain of + for a memcpy past a string's end
  // (-Warray-bounds, a false positive).
  out += ".TH VIRT\\-CONFIGDRIVE 1 \"\" \"virt-configdrive ";
  out += kVersion;
  out += "\" \"User Commands\"\n";
  out += ".SH NAME\nvirt\\-configdrive \\- config drives (config\\-2) for VMs on plain libvirt/KVM hosts\n";
  out += ".SH SYNOPSIS\n";
  for (const CommandReference& command : commandReferences()) {
    out += ".B virt\\-configdrive\n[\\fB\\-c\\fR \\fIURI\\fR] " + roff(command.synopsis) + "\n.br\n";
  }
  out += ".B virt\\-configdrive\n\\fICOMMAND\\fR \\fB\\-\\-help\\fR | \\fB\\-\\-help\\fR | \\fB\\-\\-version\\fR\n";
  out += section(sections.front());
  out += ".SH COMMANDS\n";
  for (const CommandReference& command : commandReferences()) {
    out += ".SS \"" + roff(command.synopsis) + "\"\n" + roff(command.description) + '\n';
    out += optionItems(command.options);
    if (command.dataOptions) out += ".PP\nAnd the data options.\n";
  }
  out += ".SH DATA OPTIONS\n.PP\nWhat enable, update and build take to set the drive's data.\n";
  out += optionItems(dataOptionReferences());
  out += ".SH OPTIONS\n.PP\nBefore the command:\n" + optionItems(globalOptionReferences());
  for (std::size_t i = 1; i < sections.size(); ++i) out += section(sections[i]);
  return out;
}

}  // namespace vcd
