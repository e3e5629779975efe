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

/// Every ds:Signature element anywhere in the document, in document order. Iterative, so a deep
/// document cannot exhaust the stack.
inline std::vector<xmlNode*> find_signatures(xmlDoc* doc) {
    std::vector<xmlNode*> found;
    xmlNode* root = xmlDocGetRootElement(doc);
    xmlNode* node = root;
    while (node != nullptr) {
        if (is_element(node, xml::dsig_ns, "Signature")) {
            found.push_back(node);
        }
        if (node->type == XML_ELEMENT_NODE && node->children != nullptr) {
            node = node->children;
            continue;
        }
        while (node != nullptr && node != root && node->next == nullptr) {
            node = node->parent;
        }
        node = (node == nullptr || node == root) ? nullptr : node->next;
    }
    return found;
}

}  // namespace lienthong::bus::crypto
