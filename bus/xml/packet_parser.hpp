#pragma once
#include <string_view>

#include "core/result.hpp"
#include "xml/libxml.hpp"

namespace lienthong::bus::xml {

/// Caps on untrusted XML, all checked while parsing (before work grows with them).
struct parse_limits {
    std::size_t max_bytes = 10 * 1024 * 1024;
    int max_depth = 64;
    int max_attributes = 32;                       ///< per element
    std::size_t max_text_bytes = 8 * 1024 * 1024;  ///< per text node
};

/// Parses an untrusted packet: no DTD (any DOCTYPE is rejected), no entity expansion, no network,
/// no XInclude. Only UTF-8 (EDXML.md section 1; an optional UTF-8 byte-order mark is allowed):
/// the bus forwards the bytes as received, so it refuses rather than transcodes.
/// Errors: malformed_xml, doctype_forbidden, xml_limit_exceeded (with the line), payload_too_large,
/// unsupported_encoding (a UTF-16/UTF-32 byte-order mark, NUL bytes among the first four, EBCDIC,
/// or an XML declaration naming any encoding but UTF-8).
/// Thread-safe (a fresh parser context per call).
core::result<doc_ptr> parse_packet(std::string_view bytes, const parse_limits& limits);

}  // namespace lienthong::bus::xml
