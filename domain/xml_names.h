// XML namespace resolution on top of pugixml, which does not resolve prefixes itself.
#pragma once

#include <pugixml.hpp>
#include <string>
#include <string_view>

namespace vcd {

// The element's local name, without its prefix.
std::string_view localName(const pugi::xml_node& element);

// The namespace URI the element's prefix (or the default namespace) is bound to, "" when unbound.
std::string namespaceUri(const pugi::xml_node& element);

// True when the element is {uri}name, whatever prefix it is written with.
bool isElement(const pugi::xml_node& element, std::string_view uri, std::string_view name);

}  // namespace vcd
