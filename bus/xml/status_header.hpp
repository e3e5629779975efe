#pragma once
#include <string>

#include "core/result.hpp"
#include "xml/edxml_header.hpp"
#include "xml/libxml.hpp"

namespace lienthong::bus::xml {

/// What the bus needs from a status packet (EDXML.md section 3).
struct status_header {
    organ from;                            ///< the agency reporting the status
    std::string response_for_organ_id;     ///< sender of the original document
    std::string response_for_document_id;  ///< DocumentId of the original document
    std::string status_code;               ///< two digits, e.g. "03" (acceptance)
    std::string description;               ///< may be empty
    std::string timestamp;                 ///< yyyy/MM/dd HH:mm:ss
};

/// Reads the MessageHeader of a status packet (validate against status.xsd first) and enforces
/// what the order-tolerant XSD cannot: From, ResponseFor, StatusCode, Description and Timestamp
/// exactly once each, StaffInfo at most once, OrganId/DocumentId/timestamp syntax.
/// Errors: schema_invalid with one issue per problem. Thread-safe (reads `doc` only).
core::result<status_header> read_status_header(xmlDoc* doc);

}  // namespace lienthong::bus::xml
