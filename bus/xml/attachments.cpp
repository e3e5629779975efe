#include "xml/attachments.hpp"

#include <string_view>

#include "xml/tree_walk.hpp"

namespace lienthong::bus::xml {
namespace {

bool named(const xmlNode* node, std::string_view local_name) {
    return node->type == XML_ELEMENT_NODE && node->name != nullptr &&
           std::string_view{reinterpret_cast<const char*>(node->name)} == local_name;
}

const xmlNode* child(const xmlNode* parent, std::string_view local_name) {
    for (const xmlNode* n = parent->children; n != nullptr; n = n->next) {
        if (named(n, local_name)) {
            return n;
        }
    }
    return nullptr;
}

std::string child_text(const xmlNode* parent, std::string_view local_name) {
    const xmlNode* n = child(parent, local_name);
    return n != nullptr ? trimmed_text(n) : std::string{};
}

const xmlNode* root_of(const xmlDoc* doc) {
    return doc != nullptr ? xmlDocGetRootElement(doc) : nullptr;
}

}  // namespace

std::vector<encoded_attachment> read_attachments(const xmlDoc* doc) {
    std::vector<encoded_attachment> out;
    const xmlNode* root = root_of(doc);
    if (root == nullptr) {
        return out;
    }
    for (const xmlNode* section = root->children; section != nullptr; section = section->next) {
        if (!named(section, "AttachmentEncoded")) {
            continue;
        }
        for (const xmlNode* a = section->children; a != nullptr; a = a->next) {
            if (!named(a, "Attachment")) {
                continue;
            }
            out.push_back({child_text(a, "ContentId"), child_text(a, "AttachmentName"),
                           child_text(a, "ContentType"), child_text(a, "ContentTransferEncoded")});
        }
    }
    return out;
}

std::vector<std::string> manifest_content_ids(const xmlDoc* doc) {
    std::vector<std::string> out;
    const xmlNode* root = root_of(doc);
    const xmlNode* envelope = root != nullptr ? child(root, "edXMLEnvelope") : nullptr;
    const xmlNode* body = envelope != nullptr ? child(envelope, "edXMLBody") : nullptr;
    const xmlNode* manifest = body != nullptr ? child(body, "edXMLManifest") : nullptr;
    if (manifest == nullptr) {
        return out;
    }
    for (const xmlNode* r = manifest->children; r != nullptr; r = r->next) {
        if (named(r, "Reference")) {
            out.push_back(child_text(r, "ContentId"));
        }
    }
    return out;
}

}  // namespace lienthong::bus::xml
