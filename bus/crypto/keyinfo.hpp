#pragma once
// What a ds:Signature's KeyInfo says about its signer: the X509Certificate elements it carries,
// the XML-DSig 1.1 X509Digest it may name the signer by, and a description of what it holds, so
// that a refusal names what was actually missing.
#include <libxml/tree.h>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "crypto/openssl.hpp"
#include "crypto/trust_store.hpp"

namespace lienthong::bus::crypto {

/// The XML-DSig 1.1 namespace of dsig11:X509Digest (https://www.w3.org/TR/xmldsig-core1/).
inline constexpr const char* dsig11_ns = "http://www.w3.org/2009/xmldsig11#";

/// Base64 content of an element (whitespace ignored) as bytes; nullopt if it does not decode.
std::optional<std::string> decode_base64_content(xmlNode* element);

/// The X509Certificate elements of `signature`'s KeyInfo/X509Data, decoded through the store's
/// certificate cache, in document order; unparsable ones are skipped (then no key comes from
/// them and the signature is rejected). Never fails. Thread-safe (reads `signature` only).
std::vector<x509_ptr> keyinfo_certificates(xmlNode* signature, const trust_store& store);

/// The certificate that `signature`'s KeyInfo/X509Data/dsig11:X509Digest names, looked up by
/// that digest among the configured intermediates and anchors (XML-DSig 1.1 section 4.5.4: the
/// base64 digest of the DER certificate under the Algorithm URI: SHA-1
/// http://www.w3.org/2000/09/xmldsig#sha1, SHA-224 http://www.w3.org/2001/04/xmldsig-more#sha224,
/// SHA-256 http://www.w3.org/2001/04/xmlenc#sha256, SHA-384
/// http://www.w3.org/2001/04/xmldsig-more#sha384, SHA-512 http://www.w3.org/2001/04/xmlenc#sha512).
/// nullptr (success) when KeyInfo has no X509Digest. Errors (certificate_untrusted, the message
/// says which): an unknown Algorithm, a value that is not base64 of that digest's size, or no
/// configured certificate with that digest. The certificate stays owned by `trust`; its chain
/// still has to be checked. Thread-safe.
core::result<X509*> resolve_x509_digest(xmlNode* signature, const trust_material& trust);

/// When no signer certificate was found: the message that says what KeyInfo held and what was
/// missing, e.g. "KeyInfo names the signer by X509SubjectName, but no configured intermediate
/// or trust anchor matches it". `may_be_named`: the policy lets KeyInfo name the signer instead
/// of carrying its certificate. Never fails.
std::string missing_signer_message(xmlNode* signature, bool may_be_named);

}  // namespace lienthong::bus::crypto
