#include "crypto/signature_shape.hpp"

#include <algorithm>
#include <cstring>
#include <string>

#include "crypto/dsig_tree.hpp"

namespace lienthong::bus::crypto {

namespace {

using core::errc;
using core::fail;

core::failure malformed_signature(std::string why) {
    return fail(errc::signature_invalid, "malformed ds:Signature: " + std::move(why));
}

bool is_xml_id(const xmlAttr* a) {
    return a->ns != nullptr &&
           std::strcmp(reinterpret_cast<const char*>(a->ns->href),
                       reinterpret_cast<const char*>(XML_XML_NAMESPACE)) == 0 &&
           std::strcmp(reinterpret_cast<const char*>(a->name), "id") == 0;
}

bool is_id_attribute(const xmlAttr* a, const std::vector<std::string>& names) {
    const bool named =
        a->ns == nullptr && std::find(names.begin(), names.end(),
                                      reinterpret_cast<const char*>(a->name)) != names.end();
    return named || is_xml_id(a);
}

core::result<void> register_id(xmlDoc* doc, xmlAttr* a) {
    xml::xml_string value{xmlNodeListGetString(doc, a->children, 1)};
    if (!value) {
        return {};
    }
    const xmlAttr* existing = xmlGetID(doc, value.get());
    if (existing == a) {
        return {};
    }
    // Two elements with the same ID is the classic signature-wrapping set-up (the verifier
    // checks one, the application reads the other), so it is a rejection, not "first one wins".
    if (existing != nullptr || xmlAddID(nullptr, doc, value.get(), a) == nullptr) {
        const std::string id(reinterpret_cast<const char*>(value.get()));
        return fail(errc::signature_wrapping, "the ID \"" + id +
                                                  "\" is used by more than one element; IDs "
                                                  "that signatures point at must be unique");
    }
    return {};
}

core::result<void> check_placement(xmlDoc* doc, xmlNode* signature,
                                   const signature_policy& policy) {
    if (policy.placement == signature_placement::edxml_header) {
        xmlNode* header = signature->parent;
        xmlNode* envelope = header != nullptr ? header->parent : nullptr;
        if (!is_element(header, xml::edxml_ns, "edXMLHeader") ||
            !is_element(envelope, xml::edxml_ns, "edXMLEnvelope") ||
            envelope->parent != xmlDocGetRootElement(doc) ||
            !is_element(envelope->parent, xml::edxml_ns, "edXML")) {
            return fail(errc::signature_wrapping,
                        "ds:Signature must be a child of /edXML/edXMLEnvelope/edXMLHeader");
        }
    }
    if (policy.forbid_object && !dsig_children(signature, "Object").empty()) {
        return fail(errc::signature_wrapping,
                    "ds:Signature must not contain ds:Object (its content would be unsigned)");
    }
    return {};
}

core::result<void> check_reference_uri(xmlDoc* doc, xmlNode* reference,
                                       const signature_policy& policy) {
    xml::xml_string uri_value{xmlGetNoNsProp(reference, reinterpret_cast<const xmlChar*>("URI"))};
    if (!uri_value) {
        return fail(errc::signature_wrapping, "the ds:Reference must have a URI attribute",
                    "Reference/@URI");
    }
    const std::string uri(reinterpret_cast<const char*>(uri_value.get()));
    if (uri.empty()) {
        return {};
    }
    if (policy.whole_document_only) {
        return fail(errc::signature_wrapping,
                    "the ds:Reference must sign the whole document (URI=\"\")", "Reference/@URI");
    }
    // Only a bare-name pointer to a registered ID: no XPointer expressions, no other documents,
    // no network.
    const bool bare_name =
        uri.size() > 1 && uri[0] == '#' && uri.find_first_of("#()'\" /", 1) == std::string::npos;
    if (!bare_name) {
        return fail(errc::signature_wrapping,
                    "the ds:Reference URI \"" + uri +
                        "\" is not allowed: use \"\" (whole document) or \"#id\"",
                    "Reference/@URI");
    }
    if (xmlGetID(doc, reinterpret_cast<const xmlChar*>(uri.c_str() + 1)) == nullptr) {
        return fail(errc::signature_wrapping,
                    "the ds:Reference URI \"" + uri +
                        "\" does not point at an element with a registered ID attribute",
                    "Reference/@URI");
    }
    return {};
}

core::result<void> check_reference_algorithms(xmlNode* reference, const signature_policy& policy) {
    const auto transform_lists = dsig_children(reference, "Transforms");
    if (transform_lists.size() > 1) {
        return malformed_signature("more than one Transforms");
    }
    for (xmlNode* list : transform_lists) {
        for (xmlNode* transform = list->children; transform != nullptr;
             transform = transform->next) {
            if (transform->type != XML_ELEMENT_NODE) {
                continue;
            }
            if (!is_element(transform, xml::dsig_ns, "Transform")) {
                return malformed_signature("unexpected element in Transforms");
            }
            if (auto ok = check_algorithm(policy, algorithm_role::transform,
                                          attribute_value(transform, "Algorithm"));
                !ok) {
                return ok;
            }
        }
    }
    const auto digest = dsig_children(reference, "DigestMethod");
    if (digest.size() != 1) {
        return malformed_signature("expected one DigestMethod");
    }
    return check_algorithm(policy, algorithm_role::digest,
                           attribute_value(digest.front(), "Algorithm"));
}

}  // namespace

core::result<void> register_ids(xmlDoc* doc, const signature_policy& policy) {
    xmlNode* root = xmlDocGetRootElement(doc);
    for (xmlNode* node = root; node != nullptr; node = next_in_document_order(node, root)) {
        if (node->type != XML_ELEMENT_NODE) {
            continue;
        }
        for (xmlAttr* a = node->properties; a != nullptr; a = a->next) {
            if (!is_id_attribute(a, policy.id_attributes)) {
                continue;
            }
            if (auto registered = register_id(doc, a); !registered) {
                return registered;
            }
        }
    }
    return {};
}

core::result<std::vector<xmlNode*>> signatures_to_verify(xmlDoc* doc,
                                                         const signature_policy& policy) {
    auto signatures = find_signatures(doc);
    const bool edxml = policy.placement == signature_placement::edxml_header;
    if (signatures.empty()) {
        return fail(errc::signature_missing,
                    edxml ? "the packet has no ds:Signature in edXML:edXMLHeader"
                          : "the document has no ds:Signature");
    }
    if (edxml && signatures.size() > 1) {
        return fail(errc::signature_wrapping, "the packet has " +
                                                  std::to_string(signatures.size()) +
                                                  " ds:Signature elements; exactly one is allowed");
    }
    return signatures;
}

core::result<void> check_signature_shape(xmlDoc* doc, xmlNode* signature,
                                         const signature_policy& policy) {
    if (auto placed = check_placement(doc, signature, policy); !placed) {
        return placed;
    }
    const auto signed_infos = dsig_children(signature, "SignedInfo");
    if (signed_infos.size() != 1) {
        return malformed_signature("expected exactly one SignedInfo");
    }
    xmlNode* signed_info = signed_infos.front();
    const auto c14n = dsig_children(signed_info, "CanonicalizationMethod");
    const auto method = dsig_children(signed_info, "SignatureMethod");
    if (c14n.size() != 1 || method.size() != 1) {
        return malformed_signature("expected one CanonicalizationMethod and one SignatureMethod");
    }
    const auto references = dsig_children(signed_info, "Reference");
    if (references.size() != 1) {
        return fail(errc::signature_wrapping,
                    "ds:SignedInfo must have exactly one Reference (it has " +
                        std::to_string(references.size()) + ")");
    }
    if (auto uri = check_reference_uri(doc, references.front(), policy); !uri) {
        return uri;
    }
    if (auto ok = check_algorithm(policy, algorithm_role::canonicalization,
                                  attribute_value(c14n.front(), "Algorithm"));
        !ok) {
        return ok;
    }
    if (auto ok = check_algorithm(policy, algorithm_role::signature,
                                  attribute_value(method.front(), "Algorithm"));
        !ok) {
        return ok;
    }
    return check_reference_algorithms(references.front(), policy);
}

}  // namespace lienthong::bus::crypto
