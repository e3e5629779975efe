#pragma once
// The trust material: anchors, intermediates, CRLs and a pinned signer, loaded from files and
// reloaded on SIGHUP; the chain check against our anchors only (its successes cached per
// material); the decoded-certificate cache.
#include <openssl/evp.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <ctime>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "crypto/certificate_cache.hpp"
#include "crypto/chain_cache.hpp"
#include "crypto/openssl.hpp"
#include "crypto/xmlsec.hpp"

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

/// The immutable trust material of one (re)load. Verification only reads it (each call has its
/// own xmlSecDSigCtx and X509_STORE_CTX), so it may be shared between threads once built.
class trust_material final {
  public:
    /// Reads every file of `options` (allow_sha1 is not trust material and is ignored). Throws
    /// std::runtime_error naming the bad file or folder: unreadable, not a certificate or CRL,
    /// or no anchor certificate at all (unless a signer is pinned).
    explicit trust_material(const trust_options& options);

    /// xmlsec's keys manager with the anchors (trusted) and intermediates. Its X509 store also
    /// loads OpenSSL's default paths (the system CA bundle), so never rely on it alone: every
    /// chain it accepts is re-checked by check_chain.
    xmlSecKeysMngr* keys_manager() const noexcept { return keys_mngr_.get(); }

    /// The pinned signer's xmlsec key and certificate; nullptr when none is pinned, or (for the
    /// certificate) when it was pinned as a bare public key.
    xmlSecKey* pinned_key() const noexcept { return pinned_key_.get(); }
    X509* pinned_certificate() const noexcept { return pinned_cert_.get(); }

    /// Builds the chain `leaf` → anchor with OpenSSL, only our anchors trusted, `extra` (e.g. the
    /// KeyInfo certificates) and the configured intermediates as untrusted helpers; `at` is the
    /// verification time (seconds since the epoch; nullopt = now); `strict` adds
    /// X509_V_FLAG_X509_STRICT; CRLs are checked when any CRL entry was configured (fail closed).
    /// The leaf needs the digitalSignature or nonRepudiation key usage (RFC 5280 4.2.1.3).
    /// Errors: certificate_untrusted, certificate_expired, certificate_revoked, with the
    /// subject in the message and `log_detail` as the log detail. Thread-safe.
    ///
    /// A success is cached in this material (see chain_cache for why that is sound): the same
    /// leaf with the same `extra` certificates (same order) and `strict` flag at a verification
    /// time between the same certificate and CRL time boundaries succeeds again without
    /// X509_verify_cert. Failures are always checked afresh. Nothing else can change the
    /// outcome: anchors, intermediates and CRLs only change by a reload, which builds a new
    /// material with an empty cache.
    core::result<void> check_chain(X509* leaf, const std::vector<x509_ptr>& extra,
                                   std::optional<std::time_t> at, bool strict,
                                   std::string log_detail) const;

    /// The configured intermediate or anchor whose DER certificate hashes to `digest` under
    /// `md` (intermediates first), or nullptr. For KeyInfo's XML-DSig 1.1 dsig11:X509Digest
    /// (https://www.w3.org/TR/xmldsig-core1/#sec-X509Data). A match is only a candidate: its
    /// chain is checked like any other signer's. Thread-safe.
    X509* find_by_digest(const EVP_MD* md, std::string_view digest) const;

    std::size_t anchor_count() const noexcept { return anchor_count_; }
    std::size_t intermediate_count() const noexcept { return intermediates_.size(); }
    /// Whether check_chain checks revocation (a CRL entry was configured, even an empty one).
    bool checks_revocation() const noexcept { return check_crls_; }
    /// How many times check_chain ran X509_verify_cert (cache misses), for tests.
    std::uint64_t chain_verifications() const noexcept { return chain_verifications_.load(); }
    /// Successes cached now, for tests.
    std::size_t cached_chains() const { return chain_results_.size(); }

  private:
    void add_certificates(const std::string& entry, bool trusted);
    void add_crls(const std::string& entry);
    void pin(const std::string& path);
    int verify_chain(X509* leaf, const std::vector<x509_ptr>& extra, std::optional<std::time_t> at,
                     bool strict) const;

    keys_mngr_ptr keys_mngr_;
    x509_store_ptr anchors_;  // our own store: exactly the configured anchors (and CRLs)
    std::size_t anchor_count_ = 0;
    std::vector<x509_ptr> anchor_certs_;  // the same anchors, for find_by_digest
    std::vector<x509_ptr> intermediates_;
    bool check_crls_ = false;
    key_ptr pinned_key_;
    x509_ptr pinned_cert_;
    // Every notBefore/notAfter of the anchors and intermediates and lastUpdate/nextUpdate of the
    // CRLs; when one does not parse, nothing is cached (cacheable_ false).
    std::vector<std::time_t> time_boundaries_;
    bool cacheable_ = true;
    mutable chain_cache chain_results_;
    mutable std::atomic<std::uint64_t> chain_verifications_{0};
};

/// The current trust_material plus what outlives reloads (the certificate cache). Construct once
/// at start-up; material() and certificate() are thread-safe and may run concurrently with
/// reload().
class trust_store final {
  public:
    /// Loads the material; throws std::runtime_error naming the bad file or folder.
    explicit trust_store(trust_options options);

    /// The material of the last successful (re)load. Callers keep the pointer for the whole of
    /// one verification, so a reload never changes trust half-way through it.
    std::shared_ptr<const trust_material> material() const;

    /// Re-reads every anchor, intermediate, CRL and pinned signer (e.g. on SIGHUP). On error
    /// throws std::runtime_error naming the bad file and keeps the previous material.
    void reload();

    /// The certificate for DER bytes `der` (a new reference the caller owns), decoded once and
    /// cached; nullptr if it is not one. Only the parse is cached, never a trust decision.
    x509_ptr certificate(std::string_view der) const { return certificates_.get(der); }

    const trust_options& options() const noexcept { return options_; }

  private:
    trust_options options_;
    mutable std::mutex mutex_;  // guards material_ (the pointer, not what it points to)
    std::shared_ptr<const trust_material> material_;
    mutable certificate_cache certificates_;  // KeyInfo certificates, decoded once
};

/// An xmlsec key holding `pkey` (xmlsec adopts it, so it takes its own reference; the caller's
/// stays the caller's); nullptr if xmlsec cannot use it. Thread-safe.
key_ptr xmlsec_key_of(EVP_PKEY* pkey);

}  // namespace lienthong::bus::crypto
