#pragma once
// The attachments of an edoc packet (AttachmentEncoded/Attachment) and the manifest order
// (edXMLBody/edXMLManifest/Reference), read as text: decoding the bytes is bus/pdf's job.
#include <string>
#include <vector>

#include "xml/libxml.hpp"

namespace lienthong::bus::xml {

/// One AttachmentEncoded/Attachment element. Strings are UTF-8 as in the packet, trimmed;
/// `encoded` is the ContentTransferEncoded text (base64, possibly with line breaks).
struct encoded_attachment {
    std::string content_id;
    std::string name;  ///< AttachmentName; may be empty
    std::string content_type;
    std::string encoded;
};

/// Every attachment of `doc` in document order, matched by local name (builders differ in
/// prefixes and namespaces of these elements). An empty list when there is none. Never fails;
/// `doc` must be a parsed packet (xml::parse_packet), so its size is already bounded.
/// Thread-safe for distinct documents.
std::vector<encoded_attachment> read_attachments(const xmlDoc* doc);

/// The ContentId of each manifest Reference, in manifest order (EDXML 2016 edXMLManifest).
std::vector<std::string> manifest_content_ids(const xmlDoc* doc);

}  // namespace lienthong::bus::xml
