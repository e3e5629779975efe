#pragma once
#include <atomic>
#include <cstdint>
#include <ctime>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "crypto/certificate_cache.hpp"
#include "xml/libxml.hpp"

namespace lienthong::bus::crypto {

/// Where trust comes from. Every entry is a folder (its *.pem, *.crt, *.cer, *.der files; CRL
/// folders also *.crl) or a single file; PEM bundles and DER files are both read.
struct trust_options {
    std::vector<std::string> anchors;        ///< trust anchors; the chain must end at one of these
    std::vector<std::string> intermediates;  ///< optional untrusted intermediates
    bool allow_sha1 = false;                 ///< accept RSA-SHA1 / SHA1 (legacy packets)
    /// CRLs. When any is given, the signer certificate's issuer must have a current CRL here
    /// (fail closed) and a listed signer is rejected as certificate_revoked.
    std::vector<std::string> crls;
    /// Offline tool only (`lienthongctl verify --pin-cert`): trust exactly this signer
    /// certificate or public key and nothing else; no chain, no validity period, anchors optional.
    std::string pinned_signer;
};

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
    core::result<signer_info> verify_edxml(xmlDoc* doc, std::optional<std::time_t> at = {},
                                           bool sender_allows_sha1 = false) const;

    /// Any XML-DSig document: every ds:Signature must verify; References may be "" or "#id" of a
    /// registered, unique ID; no placement rule. Same algorithm and trust policy otherwise.
    /// Registers the ID attributes on `doc`. Returns the signer of the first Signature.
    core::result<signer_info> verify_generic(xmlDoc* doc, const generic_rules& rules,
                                             std::optional<std::time_t> at = {}) const;

    /// Re-reads every anchor, intermediate and CRL (e.g. on SIGHUP). On error throws
    /// std::runtime_error and keeps the previous material; verifications in flight finish with
    /// the material they started with.
    void reload();

    /// How many signatures were accepted with RSA-SHA1 or SHA1 (allow_sha1) so far.
    std::uint64_t sha1_accepted() const noexcept { return sha1_accepted_.load(); }

    struct material;  ///< the immutable trust material of one (re)load

  private:
    core::result<signer_info> verify(xmlDoc* doc, bool edxml, const generic_rules& rules,
                                     std::optional<std::time_t> at, bool allow_sha1) const;

    trust_options options_;
    mutable std::mutex mutex_;  // guards material_ (the pointer, not what it points to)
    std::shared_ptr<const material> material_;
    mutable std::atomic<std::uint64_t> sha1_accepted_{0};
    mutable certificate_cache certificates_;  // KeyInfo certificates, decoded once
};

}  // namespace lienthong::bus::crypto
