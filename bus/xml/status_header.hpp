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
    std::string description;               ///< empty when absent or empty
    std::string timestamp;                 ///< yyyy/MM/dd HH:mm:ss
};

/// Reads the MessageHeader of a status packet (validate against status.xsd first) and enforces
/// what the order-tolerant XSD cannot: From, ResponseFor, StatusCode and Timestamp exactly once
/// each, Description (may be omitted) and StaffInfo at most once, OrganId/DocumentId/timestamp
/// syntax. ResponseFor/OrganId and ResponseFor/DocumentId are required: the bus finds the
/// original document with them.
/// Errors: schema_invalid with one issue per problem. Thread-safe (reads `doc` only).
core::result<status_header> read_status_header(xmlDoc* doc);

/// True when the packet has the shape of a status packet (EDXML.md section 3): root edXML, and
/// its edXMLEnvelope/edXMLHeader/MessageHeader (all in the edXML namespace) holds a StatusCode.
/// An edoc's MessageHeader never does. Decides by content only, for callers that receive both
/// kinds on one channel (lienthongctl validate); the bus's own endpoints know the kind.
/// Pure and thread-safe (reads `doc` only); false for a null document.
bool is_status_packet(const xmlDoc* doc);

}  // namespace lienthong::bus::xml
