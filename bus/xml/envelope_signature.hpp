#pragma once
// Where an edXML packet keeps its envelope signature, and which kind it is. Classification only:
// whether a kind is acceptable (verify it, or treat it as a placeholder) is the signature
// policy's decision, not this function's.
#include <string_view>

#include "xml/libxml.hpp"

namespace lienthong::bus::xml {

/// The kinds of envelope signature real senders write (EDXML.md section 1, and the packets in
/// tests/data/edxml-real):
/// - none: edXMLHeader has no signature element (e.g. the VNPT builder run without one);
/// - xmldsig: a Signature in the XML-DSig namespace (http://www.w3.org/2000/09/xmldsig#), which
///   a verifier can check;
/// - placeholder: a Signature in the edXML namespace (the VNPT SDK writes it without a prefix
///   under the edXML default namespace, children included, often with placeholder values), or
///   an edXML DigitalSignature element (one builder writes it empty). Neither is XML-DSig.
enum class envelope_signature_kind { none, xmldsig, placeholder };

/// "none", "xmldsig" or "placeholder": stable words for logs and metric labels.
std::string_view to_string(envelope_signature_kind kind) noexcept;

struct envelope_signature {
    envelope_signature_kind kind = envelope_signature_kind::none;
    const xmlNode* element = nullptr;  ///< the signature element; null when kind is none
};

/// Locates the envelope signature: the first element child of /edXML/edXMLEnvelope/edXMLHeader
/// (all three in the edXML namespace) that is a ds:Signature, an edXML Signature or an edXML
/// DigitalSignature. edoc.xsd and status.xsd allow at most one, after MessageHeader and
/// TraceHeaderList; this function does not re-check that, nor look anywhere else (a signature
/// elsewhere is the verifier's business). A null document, another root or a missing envelope
/// or header give kind none. `element` points into `doc` and lives as long as it.
/// Pure and thread-safe (reads `doc` only); no allocation, never throws.
envelope_signature find_envelope_signature(const xmlDoc* doc) noexcept;

}  // namespace lienthong::bus::xml
