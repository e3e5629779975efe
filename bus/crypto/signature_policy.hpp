#pragma once
// What a signature may look like, which algorithms it may use and who may stand behind it: the
// rules, separate from the trust material (trust_store) and from running xmlsec
// (xmlsec_verification), so that "what is allowed" has one place.
// clang-format off
#include <xmlsec/xmlsec.h>  // before transforms.h, which uses xmlSecSize without defining it
#include <xmlsec/transforms.h>
// clang-format on

#include <string>
#include <vector>

#include "core/result.hpp"

namespace lienthong::bus::crypto {

/// Who signed, read from the verified signer certificate.
struct signer_info {
    std::string subject;             ///< RFC 2253 subject ("" for a pinned bare public key)
    std::string uid;                 ///< subject UID (0.9.2342.19200300.100.1.1), may be empty
    std::string sha256_fingerprint;  ///< lowercase hex of the DER certificate
    bool sha1 = false;               ///< accepted with RSA-SHA1 or SHA1 (allow_sha1)
};

/// Rules of `verify_generic` (any XML-DSig document, `lienthongctl verify --generic`).
struct generic_rules {
    /// Attribute names registered as IDs (besides xml:id and XML-DSig's `Id`), e.g. SAML's "ID".
    std::vector<std::string> id_attributes;
    /// Accept the XPath 1.0 transform (REC-xpath-19991116). Never XSLT.
    bool allow_xpath = false;
};

/// The algorithm allow-lists, as xmlsec transform ids so that the pre-check on the tree (by
/// href) and xmlsec's own enforcement in the DSig context can never disagree.
struct algorithm_allow_list {
    std::vector<xmlSecTransformId> c14n;        ///< CanonicalizationMethod
    std::vector<xmlSecTransformId> signature;   ///< SignatureMethod
    std::vector<xmlSecTransformId> transforms;  ///< Reference/Transforms/Transform
    std::vector<xmlSecTransformId> digests;     ///< Reference/DigestMethod
};

/// Where the ds:Signature elements may be.
enum class signature_placement {
    anywhere,      ///< any number, anywhere (generic XML-DSig)
    edxml_header,  ///< exactly one, a child of /edXML/edXMLEnvelope/edXMLHeader
};

/// One named set of rules the verifier is given: `edxml_policy` for packets on the bus, or
/// `generic_policy` for any XML-DSig document. A plain value; immutable once built, so one may
/// be shared between threads.
struct signature_policy {
    const char* name = "generic";  ///< "edxml" or "generic", for logs and tests
    signature_placement placement = signature_placement::anywhere;
    /// No ds:Object: the enveloped-signature transform leaves it out, so its content would be
    /// unsigned content inside the document.
    bool forbid_object = false;
    /// Reference URI must be "" (the whole document); otherwise "" or a bare "#id".
    bool whole_document_only = false;
    /// X509_V_FLAG_X509_STRICT on our chain check and xmlsec's strict X509Data checks. Generic
    /// documents come from other PKIs (v1 or MD5-era CA certificates), so they go without.
    bool strict_certificates = true;
    /// KeyInfo may name the signer (X509SubjectName, IssuerSerial, SKI, XML-DSig 1.1 X509Digest)
    /// instead of carrying its certificate; the certificate then comes from the configured
    /// intermediates (or anchors).
    bool signer_may_be_named = false;
    /// Attribute names (no namespace) registered as IDs, besides xml:id; always includes "Id".
    std::vector<std::string> id_attributes{"Id"};
    algorithm_allow_list algorithms;
};

/// The edXML packet policy: one enveloped Signature in /edXML/edXMLEnvelope/edXMLHeader, one
/// Reference URI="", no ds:Object, strict certificates, the signer certificate in KeyInfo.
/// Algorithms: RSA-SHA256/384/512, ECDSA-SHA256/384; SHA-256/384/512 digests; inclusive and
/// exclusive C14N (with or without comments); the enveloped transform. `allow_sha1` adds
/// RSA-SHA1 and SHA1 (trust.allow_sha1, or the sending agency's allow_sha1 in the directory).
/// Source: our trust policy (README.md "Trust policy and offline verification"; QCVN 102:2016
/// names no signature profile, so these are the bus's own rules). Never fails; thread-safe.
signature_policy edxml_policy(bool allow_sha1);

/// The generic XML-DSig policy: any number of Signatures anywhere, References "" or "#id" of a
/// registered unique ID, `rules.id_attributes` registered besides "Id", the XPath transform only
/// when `rules.allow_xpath`; same algorithms as edxml_policy otherwise. Never fails; thread-safe.
signature_policy generic_policy(const generic_rules& rules, bool allow_sha1);

/// Which list of the policy an algorithm is checked against.
enum class algorithm_role { canonicalization, signature, transform, digest };

/// Whether `href` (an Algorithm URI, e.g. "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256")
/// is on the policy's list for `role`. Error: algorithm_forbidden, with the element
/// ("SignatureMethod", ...) as field and a hint for HMAC and SHA-1. Thread-safe.
core::result<void> check_algorithm(const signature_policy& policy, algorithm_role role,
                                   const std::string& href);

/// Whether the verified signer may sign for the agency `organ_id` (From/OrganId): its
/// certificate's subject UID (0.9.2342.19200300.100.1.1) is that code, or
/// `listed_fingerprints` (the directory's SHA-256 fingerprints for that agency; empty when the
/// agency or the directory is unknown) has the certificate's fingerprint (certificates without
/// the UID, key rotation). Error: signer_not_sender, naming the certificate and what would make
/// it acceptable. Thread-safe. The directory lookup stays in pipeline::check_signer_is_sender,
/// so that crypto does not depend on routing.
core::result<void> check_signer_binding(const signer_info& signer, const std::string& organ_id,
                                        const std::vector<std::string>& listed_fingerprints);

}  // namespace lienthong::bus::crypto
