#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "xml/libxml.hpp"

namespace lienthong::bus::xml {

struct organ {
    std::string organ_id;
    std::string organ_name;
};

/// What routing and trust need from an edoc packet's MessageHeader and TraceHeaderList.
struct edoc_header {
    organ from;
    std::vector<organ> to;  ///< at least one, in document order
    std::string document_id;
    std::string code_number;
    std::string code_notation;
    std::string promulgation_date;  ///< yyyy/MM/dd
    std::string subject;
    int business_doc_type = 0;  ///< 0 new, 1 revocation, 2 update, 3 replacement
    /// Bussiness/DocumentId and ReplacementInfoList/ReplacementInfo/DocumentId: the documents a
    /// revocation, update or replacement acts on.
    std::vector<std::string> related_document_ids;
};

/// Reads the header of a schema-valid edoc packet and enforces what the XSD cannot (because it
/// is tolerant of element order): exactly one From, at least one To, exactly one DocumentId,
/// Code and PromulgationInfo/PromulgationDate, at most one Bussiness (absent = a new document)
/// with exactly one BussinessDocType, OrganId bounds (is_valid_organ_id), calendar dates.
/// TraceHeader hops are informational and not checked. Sources: EDXML.md section 1 and the
/// real senders' packets in tests/data/edxml-real. Errors: schema_invalid with issues naming
/// each field. Thread-safe (reads `doc` only).
core::result<edoc_header> read_edoc_header(xmlDoc* doc);

/// Longest OrganId accepted: our bound, above the 35 characters of QCVN 102 Amendment 1:2022,
/// so that the tenant ids agency directories hold also fit.
inline constexpr std::size_t max_organ_id_length = 64;

/// True for an OrganId the bus can carry: 1 to max_organ_id_length characters of
/// [A-Za-z0-9._-], at least one of them a letter or digit. Deliberately not a grammar of agency
/// codes: the agency directory decides whether an agency exists (legacy 000.00.00.H41,
/// odd 28.22.H17, tenant ids vxp.saas.03 all pass). The bound keeps ids safe as routing keys, log
/// fields and file names (no whitespace,
/// ',' or '/', ASCII only). Same rule as the organ_id type of schemas/edxml/2016/common.xsd.
/// Also used by the directory loader and the router. Thread-safe (pure).
bool is_valid_organ_id(std::string_view id);

}  // namespace lienthong::bus::xml
