#include "xml/status_header.hpp"

#include "xml/tree_walk.hpp"

namespace lienthong::bus::xml {

bool is_status_packet(const xmlDoc* doc) {
    const xmlNode* root = doc != nullptr ? xmlDocGetRootElement(doc) : nullptr;
    if (!is_edxml_element(root, "edXML")) {
        return false;
    }
    for (const xmlNode* envelope : edxml_children(root, "edXMLEnvelope")) {
        for (const xmlNode* header : edxml_children(envelope, "edXMLHeader")) {
            for (const xmlNode* mh : edxml_children(header, "MessageHeader")) {
                if (!edxml_children(mh, "StatusCode").empty()) {
                    return true;
                }
            }
        }
    }
    return false;
}

core::result<status_header> read_status_header(xmlDoc* doc) {
    const xmlNode* root = doc != nullptr ? xmlDocGetRootElement(doc) : nullptr;
    if (!is_edxml_element(root, "edXML")) {
        auto f = core::fail(core::errc::schema_invalid,
                            "root element must be edXML in the QCVN 102:2016 namespace");
        f.issues.push_back({root != nullptr ? static_cast<int>(xmlGetLineNo(root)) : 0,
                            root != nullptr ? node_path(root) : "/", f.message});
        return f;
    }

    structure_checker check;
    const xmlNode* mh = check.exactly_one(
        check.exactly_one(check.exactly_one(root, "edXMLEnvelope"), "edXMLHeader"),
        "MessageHeader");

    status_header s;
    if (const xmlNode* from = check.exactly_one(mh, "From")) {
        s.from.organ_id = check.organ_id(check.exactly_one(from, "OrganId"));
        if (const xmlNode* name = check.at_most_one(from, "OrganName")) {
            s.from.organ_name = trimmed_text(name);
        }
    }
    if (const xmlNode* rf = check.exactly_one(mh, "ResponseFor")) {
        s.response_for_organ_id = check.organ_id(check.exactly_one(rf, "OrganId"));
        s.response_for_document_id = check.document_id(check.exactly_one(rf, "DocumentId"));
    }
    s.status_code = check.non_empty(check.exactly_one(mh, "StatusCode"));
    // Some senders omit Description (VNPT StatusXmlBuilder without a reason): empty then.
    if (const xmlNode* d = check.at_most_one(mh, "Description")) {
        s.description = trimmed_text(d);
    }
    s.timestamp = check.timestamp(check.exactly_one(mh, "Timestamp"));
    (void)check.at_most_one(mh, "StaffInfo");

    if (!check.ok()) {
        return std::move(check).failure("edXML status header is invalid");
    }
    return s;
}

}  // namespace lienthong::bus::xml
