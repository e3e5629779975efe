#pragma once
// Small tree helpers shared by the signer, the signature shape checks and the verifier.
#include <libxml/tree.h>

#include <cstring>
#include <string>
#include <vector>

#include "xml/libxml.hpp"

namespace lienthong::bus::crypto {

inline bool is_element(const xmlNode* node, const char* ns, const char* name) {
    return node != nullptr && node->type == XML_ELEMENT_NODE && node->ns != nullptr &&
           std::strcmp(reinterpret_cast<const char*>(node->ns->href), ns) == 0 &&
           std::strcmp(reinterpret_cast<const char*>(node->name), name) == 0;
}

/// The first child element of `parent` with this namespace and local name, or nullptr.
inline xmlNode* first_child(xmlNode* parent, const char* ns, const char* name) {
    for (xmlNode* c = parent != nullptr ? parent->children : nullptr; c != nullptr; c = c->next) {
        if (is_element(c, ns, name)) {
            return c;
        }
    }
    return nullptr;
}

/// The child elements of `parent` in the XML-DSig namespace with this local name, in order.
inline std::vector<xmlNode*> dsig_children(xmlNode* parent, const char* name) {
    std::vector<xmlNode*> found;
    for (xmlNode* child = parent->children; child != nullptr; child = child->next) {
        if (is_element(child, xml::dsig_ns, name)) {
            found.push_back(child);
        }
    }
    return found;
}

/// The value of the un-namespaced attribute `name` of `node`, or "" if it has none.
inline std::string attribute_value(xmlNode* node, const char* name) {
    xml::xml_string value{xmlGetNoNsProp(node, reinterpret_cast<const xmlChar*>(name))};
    return value ? std::string(reinterpret_cast<const char*>(value.get())) : std::string{};
}

/// The node after `node` in document order within the subtree of `root`, or nullptr at its end.
/// A step of an iterative walk, so a deep document cannot exhaust the stack.
inline xmlNode* next_in_document_order(xmlNode* node, const xmlNode* root) {
    if (node->type == XML_ELEMENT_NODE && node->children != nullptr) {
        return node->children;
    }
    while (node != nullptr && node != root && node->next == nullptr) {
        node = node->parent;
    }
    return (node == nullptr || node == root) ? nullptr : node->next;
}

/// Every ds:Signature element anywhere in the document, in document order.
inline std::vector<xmlNode*> find_signatures(xmlDoc* doc) {
    std::vector<xmlNode*> found;
    const xmlNode* root = xmlDocGetRootElement(doc);
    for (xmlNode* node = xmlDocGetRootElement(doc); node != nullptr;
         node = next_in_document_order(node, root)) {
        if (is_element(node, xml::dsig_ns, "Signature")) {
            found.push_back(node);
        }
    }
    return found;
}

}  // namespace lienthong::bus::crypto
