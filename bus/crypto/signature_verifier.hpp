#pragma once
// The public face of signature checking. The rooms behind it: trust_store (anchors,
// intermediates, CRLs, the chain check, the certificate cache), signature_policy (what is
// allowed, signer binding), signature_shape (the tree checks before xmlsec) and
// xmlsec_verification (the DSig context run).
#include <atomic>
#include <cstdint>
#include <ctime>
#include <optional>

#include "core/result.hpp"
#include "crypto/signature_policy.hpp"
#include "crypto/trust_store.hpp"
#include "xml/libxml.hpp"

namespace lienthong::bus::crypto {

/// Verifies XML-DSig signatures with xmlsec against the trust material. Construct once at
/// start-up (throws std::runtime_error naming the bad file/folder). verify_*() are thread-safe
/// and may run concurrently with reload().
///
/// Errors: signature_missing, signature_invalid, digest_mismatch, algorithm_forbidden,
/// certificate_untrusted, certificate_expired, certificate_revoked, signature_wrapping (a second
/// Signature, a Reference to anything but the allowed target, duplicate IDs).
class signature_verifier final {
  public:
    explicit signature_verifier(trust_options options);
    ~signature_verifier();
    signature_verifier(const signature_verifier&) = delete;
    signature_verifier& operator=(const signature_verifier&) = delete;

    /// An edXML packet: exactly one enveloped Signature in /edXML/edXMLEnvelope/edXMLHeader with
    /// one Reference URI="" (so everything the bus reads outside the Signature is signed), the
    /// signer certificate in KeyInfo. `at`: verification time (nullopt = now).
    /// `sender_allows_sha1`: the sending agency's own `allow_sha1` (directory); RSA-SHA1 and SHA1
    /// pass when it or the global trust.allow_sha1 is set, and a refusal names both settings.
    /// The rules: edxml_policy (signature_policy.hpp).
    core::result<signer_info> verify_edxml(xmlDoc* doc, std::optional<std::time_t> at = {},
                                           bool sender_allows_sha1 = false) const;

    /// Any XML-DSig document: every ds:Signature must verify; References may be "" or "#id" of a
    /// registered, unique ID; no placement rule. Same algorithm and trust policy otherwise.
    /// Registers the ID attributes on `doc`. Returns the signer of the first Signature.
    /// The rules: generic_policy (signature_policy.hpp).
    core::result<signer_info> verify_generic(xmlDoc* doc, const generic_rules& rules,
                                             std::optional<std::time_t> at = {}) const;

    /// Re-reads every anchor, intermediate and CRL (e.g. on SIGHUP). On error throws
    /// std::runtime_error and keeps the previous material; verifications in flight finish with
    /// the material they started with.
    void reload();

    /// How many signatures were accepted with RSA-SHA1 or SHA1 (allow_sha1) so far.
    std::uint64_t sha1_accepted() const noexcept { return sha1_accepted_.load(); }

  private:
    // `doc` under one named policy: IDs, shape, then xmlsec for every Signature.
    core::result<signer_info> verify(xmlDoc* doc, const signature_policy& policy,
                                     std::optional<std::time_t> at) const;

    trust_store trust_;
    mutable std::atomic<std::uint64_t> sha1_accepted_{0};
};

}  // namespace lienthong::bus::crypto
