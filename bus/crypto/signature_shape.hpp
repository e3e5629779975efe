#pragma once
// The checks on the document tree that run before xmlsec: IDs, how many Signatures and where,
// what they reference and with which algorithms. They exist so that each rejection gets a precise
// code and message; xmlsec enforces the same lists again (xmlsec_verification).
#include <libxml/tree.h>

#include <vector>

#include "core/result.hpp"
#include "crypto/signature_policy.hpp"

namespace lienthong::bus::crypto {

/// Registers every attribute named in `policy.id_attributes` (no namespace) and every xml:id of
/// `doc` as an ID, so that "#id" References resolve only to these; modifies `doc`'s ID table.
/// Error: signature_wrapping when two elements share an ID (the verifier would check one and the
/// application read the other: signature wrapping; source: README.md "Trust policy").
/// Not thread-safe for the same `doc`; distinct documents may be handled concurrently.
core::result<void> register_ids(xmlDoc* doc, const signature_policy& policy);

/// The ds:Signature elements of `doc` that the policy requires to verify, in document order.
/// Errors: signature_missing (none), signature_wrapping (more than one under edxml_header
/// placement). `doc` must have a root element. Thread-safe (reads only).
core::result<std::vector<xmlNode*>> signatures_to_verify(xmlDoc* doc,
                                                         const signature_policy& policy);

/// Checks one ds:Signature of `doc` against the policy: placement (edxml_header: a child of
/// /edXML/edXMLEnvelope/edXMLHeader), no ds:Object when forbidden, exactly one SignedInfo with
/// one CanonicalizationMethod, SignatureMethod and Reference, the Reference URI ("" only, or
/// also a bare "#id" of a registered ID — call register_ids first), and every Algorithm against
/// the allow-lists. Errors: signature_wrapping, signature_invalid (malformed),
/// algorithm_forbidden. Source: README.md "Trust policy". Thread-safe (reads only).
core::result<void> check_signature_shape(xmlDoc* doc, xmlNode* signature,
                                         const signature_policy& policy);

}  // namespace lienthong::bus::crypto
