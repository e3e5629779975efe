#include "xml/envelope_signature.hpp"

#include <cstring>

namespace lienthong::bus::xml {
namespace {

bool is_element(const xmlNode* node, const char* ns, const char* local_name) {
    return node != nullptr && node->type == XML_ELEMENT_NODE && node->ns != nullptr &&
           node->ns->href != nullptr &&
           std::strcmp(reinterpret_cast<const char*>(node->ns->href), ns) == 0 &&
           node->name != nullptr &&
           std::strcmp(reinterpret_cast<const char*>(node->name), local_name) == 0;
}

const xmlNode* first_child(const xmlNode* parent, const char* local_name) {
    for (const xmlNode* c = parent != nullptr ? parent->children : nullptr; c != nullptr;
         c = c->next) {
        if (is_element(c, edxml_ns, local_name)) {
            return c;
        }
    }
    return nullptr;
}

}  // namespace

std::string_view to_string(envelope_signature_kind kind) noexcept {
    switch (kind) {
        case envelope_signature_kind::none:
            return "none";
        case envelope_signature_kind::xmldsig:
            return "xmldsig";
        case envelope_signature_kind::placeholder:
            return "placeholder";
    }
    return "none";
}

envelope_signature find_envelope_signature(const xmlDoc* doc) noexcept {
    const xmlNode* root = doc != nullptr ? xmlDocGetRootElement(doc) : nullptr;
    if (!is_element(root, edxml_ns, "edXML")) {
        return {};
    }
    const xmlNode* header = first_child(first_child(root, "edXMLEnvelope"), "edXMLHeader");
    for (const xmlNode* c = header != nullptr ? header->children : nullptr; c != nullptr;
         c = c->next) {
        if (is_element(c, dsig_ns, "Signature")) {
            return {envelope_signature_kind::xmldsig, c};
        }
        if (is_element(c, edxml_ns, "Signature") || is_element(c, edxml_ns, "DigitalSignature")) {
            return {envelope_signature_kind::placeholder, c};
        }
    }
    return {};
}

}  // namespace lienthong::bus::xml
