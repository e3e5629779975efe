#pragma once
#include <string>
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
/// OrganId syntax (legacy 13-character and 2022 up-to-35-character forms), date format.
/// Errors: schema_invalid with issues naming each field.
core::result<edoc_header> read_edoc_header(xmlDoc* doc);

/// True for a syntactically valid OrganId (legacy DDD.DD.DD.LDD or the 2022 form).
bool is_valid_organ_id(std::string_view id);

}  // namespace lienthong::bus::xml
