// XML namespace resolution on top of pugixml, which does not resolve prefixes itself.
#include "domain/xml_names.h"

namespace vcd {

namespace {

std::string_view prefixOf(const pugi::xml_node& element) {
  std::string_view name = element.name();
  std::size_t colon = name.find(':');
  return colon == std::string_view::npos ? std::string_view() : name.substr(0, colon);
}

}  // namespace

std::string_view localName(const pugi::xml_node& element) {
  std::string_view name = element.name();
  std::size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

std::string namespaceUri(const pugi::xml_node& element) {
  std::string_view prefix = prefixOf(element);
  std::string attribute = prefix.empty() ? "xmlns" : "xmlns:" + std::string(prefix);
  for (pugi::xml_node node = element; node; node = node.parent()) {
    if (pugi::xml_attribute bound = node.attribute(attribute.c_str())) return bound.value();
  }
  return std::string();
}

bool isElement(const pugi::xml_node& element, std::string_view uri, std::string_view name) {
  return element.type() == pugi::node_element && localName(element) == name && namespaceUri(element) == uri;
}

}  // namespace vcd
