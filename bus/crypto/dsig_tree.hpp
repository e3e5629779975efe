#pragma once
// Small tree helpers shared by the signer and the verifier.
#include <libxml/tree.h>

#include <cstring>
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
