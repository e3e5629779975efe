#pragma once
// Successful chain checks of one trust_material, remembered with the span of verification times
// over which they stay successful, so that a province's thousands of documents from the same
// signer do not each pay for X509_verify_cert and its RSA verifies.
#include <openssl/x509.h>

#include <cstddef>
#include <ctime>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "crypto/openssl.hpp"

namespace lienthong::bus::crypto {

/// Verification times, in whole seconds since the epoch, both ends included.
struct time_span {
    std::time_t from;
    std::time_t to;
    bool contains(std::time_t t) const noexcept { return from <= t && t <= to; }
};

/// Why a cached success is sound: for fixed inputs (the trust material's anchors, intermediates
/// and CRLs; the leaf and the extra certificates; the flags) X509_verify_cert depends on the
/// verification time t only through comparisons "boundary <= t" (X509_cmp_time), where the
/// boundaries are the notBefore/notAfter of every certificate it may look at and the
/// lastUpdate/nextUpdate of every CRL: this covers the validity checks, the preference for a
/// time-valid issuer or CRL when several match, and CRL currency. Between two consecutive
/// boundaries every comparison, hence the whole check, comes out the same. So a success is
/// remembered for the span between the boundaries around its verification time (the boundaries
/// of the whole material, not only of the chain that was built, so a different issuer becoming
/// valid also ends the span), keyed by the exact inputs (their DER bytes, not a digest).
///
/// Thread-safe (a shared_mutex: lookups share it, insertions are exclusive); bounded (emptied
/// when full; an entry holds its chain's DER, ~3 KB for a signer and its CA, so 1,024 entries
/// stay within a few MB and hold a province's signers). Failures are never stored: they are
/// rare, and their messages carry a log detail.
class chain_cache final {
  public:
    explicit chain_cache(std::size_t capacity = 1024) : capacity_(capacity) {}

    /// Whether a success was remembered for `key` over a span that contains `at`.
    bool holds(const std::string& key, std::time_t at) const;

    /// Remembers a success for `key` over `span` (replacing an older span of the same key).
    void remember(std::string key, time_span span);

    std::size_t size() const;

  private:
    std::size_t capacity_;
    mutable std::shared_mutex mutex_;
    std::unordered_map<std::string, time_span> successes_;
};

/// The key of one check: the strict flag, then the DER of `leaf` and of each `extra`
/// certificate in order, each after its length (4 bytes). Empty if a certificate cannot be
/// encoded (then do not cache).
std::string chain_key(X509* leaf, const std::vector<x509_ptr>& extra, bool strict);

/// Appends the notBefore and notAfter of `cert` (seconds since the epoch) to `out`; false if
/// either does not parse (then nothing about the certificate may be cached).
bool add_time_boundaries(const X509* cert, std::vector<std::time_t>& out);

/// Appends the lastUpdate and (if present) nextUpdate of `crl`; false if either does not parse.
bool add_time_boundaries(const X509_CRL* crl, std::vector<std::time_t>& out);

/// The largest span of verification times around [first, last] that no boundary of `fixed`
/// or `more` splits (a boundary b splits t1 < t2 when t1 < b <= t2); nullopt if one lies in
/// (first, last], i.e. the check itself may have straddled it.
std::optional<time_span> steady_span(const std::vector<std::time_t>& fixed,
                                     const std::vector<std::time_t>& more, std::time_t first,
                                     std::time_t last);

}  // namespace lienthong::bus::crypto
