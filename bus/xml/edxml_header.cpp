#include "xml/edxml_header.hpp"

#include <algorithm>

#include "xml/tree_walk.hpp"

namespace lienthong::bus::xml {
namespace {

organ read_organ(structure_checker& check, const xmlNode* node) {
    organ o;
    if (node == nullptr) {
        return o;
    }
    o.organ_id = check.organ_id(check.exactly_one(node, "OrganId"));
    if (const xmlNode* name = check.at_most_one(node, "OrganName")) {
        o.organ_name = trimmed_text(name);
    }
    return o;
}

int read_business_doc_type(structure_checker& check, const xmlNode* node) {
    if (node == nullptr) {
        return 0;
    }
    const std::string v = trimmed_text(node);
    if (v.size() != 1 || v[0] < '0' || v[0] > '3') {
        check.add(node,
                  "BussinessDocType must be 0 (new), 1 (revocation), 2 (update) or "
                  "3 (replacement), found '" +
                      v + "'");
        return 0;
    }
    return v[0] - '0';
}

}  // namespace

bool is_valid_organ_id(std::string_view id) {
    if (id.empty() || id.size() > max_organ_id_length) {
        return false;
    }
    const auto alnum = [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    };
    // At least one letter or digit: "." and ".." must never name an agency (or a path).
    return std::any_of(id.begin(), id.end(), alnum) &&
           std::all_of(id.begin(), id.end(),
                       [&alnum](char c) { return alnum(c) || c == '.' || c == '_' || c == '-'; });
}

core::result<edoc_header> read_edoc_header(xmlDoc* doc) {
    const xmlNode* root = doc != nullptr ? xmlDocGetRootElement(doc) : nullptr;
    if (!is_edxml_element(root, "edXML")) {
        auto f = core::fail(core::errc::schema_invalid,
                            "root element must be edXML in the QCVN 102:2016 namespace");
        f.issues.push_back({root != nullptr ? static_cast<int>(xmlGetLineNo(root)) : 0,
                            root != nullptr ? node_path(root) : "/", f.message});
        return f;
    }

    structure_checker check;
    const xmlNode* header =
        check.exactly_one(check.exactly_one(root, "edXMLEnvelope"), "edXMLHeader");
    const xmlNode* mh = check.exactly_one(header, "MessageHeader");

    edoc_header h;
    h.from = read_organ(check, check.exactly_one(mh, "From"));
    for (const xmlNode* to : check.at_least_one(mh, "To")) {
        h.to.push_back(read_organ(check, to));
    }
    h.document_id = check.document_id(check.exactly_one(mh, "DocumentId"));
    if (const xmlNode* code = check.exactly_one(mh, "Code")) {
        h.code_number = check.non_empty(check.exactly_one(code, "CodeNumber"));
        h.code_notation = check.non_empty(check.exactly_one(code, "CodeNotation"));
    }
    if (const xmlNode* info = check.exactly_one(mh, "PromulgationInfo")) {
        h.promulgation_date = check.date(check.exactly_one(info, "PromulgationDate"));
    }
    if (const xmlNode* subject = check.exactly_one(mh, "Subject")) {
        h.subject = trimmed_text(subject);
    }
    // Optional singletons: a second copy would be ambiguous, so it is an error too.
    for (const char* name : {"DocumentType", "Content", "SignerInfo", "DueDate", "ToPlaces",
                             "OtherInfo", "SteeringType"}) {
        (void)check.at_most_one(mh, name);
    }

    // The trace is informational (hops are not checked); Bussiness may come before or after the
    // TraceHeaders, or be absent, which makes the document a new one (BussinessDocType 0).
    const xmlNode* trace = check.exactly_one(header, "TraceHeaderList");
    (void)check.at_least_one(trace, "TraceHeader");
    const xmlNode* business = check.at_most_one(trace, "Bussiness");
    if (business != nullptr) {
        h.business_doc_type =
            read_business_doc_type(check, check.exactly_one(business, "BussinessDocType"));
    }
    // Revocations, updates and replacements name the documents they act on.
    if (const xmlNode* id = check.at_most_one(business, "DocumentId")) {
        h.related_document_ids.push_back(trimmed_text(id));
    }
    if (business) {
        for (const xmlNode* list : edxml_children(business, "ReplacementInfoList")) {
            for (const xmlNode* info : edxml_children(list, "ReplacementInfo")) {
                for (const xmlNode* id : edxml_children(info, "DocumentId")) {
                    h.related_document_ids.push_back(trimmed_text(id));
                }
            }
        }
    }

    // Attachments are typed as plain strings in edoc.xsd: their base64 is checked here, at memory
    // speed, where libxml2's pattern engine took most of a 1 MB packet's validation time.
    for (const xmlNode* encoded : edxml_children(root, "AttachmentEncoded")) {
        for (const xmlNode* attachment : edxml_children(encoded, "Attachment")) {
            check.base64(check.exactly_one(attachment, "ContentTransferEncoded"));
        }
    }

    if (!check.ok()) {
        return std::move(check).failure("edXML header is invalid");
    }
    return h;
}

}  // namespace lienthong::bus::xml
