#pragma once
// One ds:Signature through xmlsec's DSig context, with the key from the KeyInfo end-entity
// certificate (or the pinned signer's key), then the chain re-checked against our anchors only.
#include <libxml/tree.h>

#include <ctime>
#include <optional>
#include <vector>

#include "core/result.hpp"
#include "crypto/keyinfo.hpp"
#include "crypto/openssl.hpp"
#include "crypto/signature_policy.hpp"
#include "crypto/trust_store.hpp"

namespace lienthong::bus::crypto {

/// Verifies one ds:Signature that already passed check_signature_shape. `keyinfo`: its
/// keyinfo_certificates. `trust`: the material of this verification (keep the same one for
/// every Signature of a document). `at`: verification time (nullopt = now).
///
/// xmlsec is told the policy's allow-lists and URI kinds again (defence in depth) and takes the
/// key only from the KeyInfo end entity (decoded by us), the pinned signer, or — when the policy
/// lets a signer be named — an X509Data it resolves against the intermediates (X509SubjectName,
/// X509IssuerSerial, X509SKI by xmlsec; XML-DSig 1.1 dsig11:X509Digest by resolve_x509_digest,
/// as xmlsec 1.2 does not know it); a bare KeyValue or KeyName is never trusted. When no signer
/// certificate is found the message says what KeyInfo held and what was missing. Errors:
/// digest_mismatch, signature_invalid, certificate_untrusted, certificate_expired,
/// certificate_revoked, internal (xmlsec cannot be configured); xmlsec's own text goes to
/// log_detail only. Thread-safe: each call has its own xmlSecDSigCtx, and xmlsec errors are
/// captured per thread.
core::result<signer_info> verify_with_xmlsec(xmlNode* signature,
                                             const std::vector<x509_ptr>& keyinfo,
                                             const signature_policy& policy,
                                             const trust_material& trust,
                                             std::optional<std::time_t> at);

}  // namespace lienthong::bus::crypto
