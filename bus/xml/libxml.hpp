#pragma once
// RAII for libxml2 handles.
#include <libxml/tree.h>

#include <memory>

namespace lienthong::bus::xml {

struct doc_deleter {
    void operator()(xmlDoc* d) const noexcept { xmlFreeDoc(d); }
};
using doc_ptr = std::unique_ptr<xmlDoc, doc_deleter>;

struct xml_char_deleter {
    void operator()(xmlChar* p) const noexcept { xmlFree(p); }
};
using xml_string = std::unique_ptr<xmlChar, xml_char_deleter>;

/// The QCVN 102:2016 edXML namespace.
inline constexpr const char* edxml_ns = "http://www.mic.gov.vn/TBT/QCVN_102_2016";
inline constexpr const char* dsig_ns = "http://www.w3.org/2000/09/xmldsig#";

}  // namespace lienthong::bus::xml
