#include "crypto/chain_cache.hpp"

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <time.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <mutex>

namespace lienthong::bus::crypto {

namespace {

// Seconds since the epoch of an ASN.1 time; nullopt if it does not parse.
std::optional<std::time_t> epoch_seconds(const ASN1_TIME* time) {
    std::tm tm{};
    if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) {
        ERR_clear_error();
        return std::nullopt;
    }
    return timegm(&tm);
}

bool add_both(const ASN1_TIME* a, const ASN1_TIME* b, std::vector<std::time_t>& out) {
    const auto first = epoch_seconds(a);
    const auto second = b != nullptr ? epoch_seconds(b) : first;
    if (!first || !second) {
        return false;
    }
    out.push_back(*first);
    out.push_back(*second);
    return true;
}

}  // namespace

bool chain_cache::holds(const std::string& key, std::time_t at) const {
    std::shared_lock lock(mutex_);
    const auto found = successes_.find(key);
    return found != successes_.end() && found->second.contains(at);
}

void chain_cache::remember(std::string key, time_span span) {
    std::unique_lock lock(mutex_);
    if (successes_.size() >= capacity_ && successes_.find(key) == successes_.end()) {
        successes_.clear();  // simple and rare: a province's signers fit many times over
    }
    successes_.insert_or_assign(std::move(key), span);
}

std::size_t chain_cache::size() const {
    std::shared_lock lock(mutex_);
    return successes_.size();
}

std::string chain_key(X509* leaf, const std::vector<x509_ptr>& extra, bool strict) {
    std::string key(1, strict ? 's' : 'n');
    // i2d_X509 copies the encoding kept from the parse: cheaper than any digest of it.
    const auto add = [&](X509* cert) {
        const int size = cert != nullptr ? i2d_X509(cert, nullptr) : -1;
        if (size <= 0) {
            ERR_clear_error();
            return false;
        }
        const auto length = static_cast<std::uint32_t>(size);
        key.append(reinterpret_cast<const char*>(&length), sizeof length);
        const std::size_t at = key.size();
        key.resize(at + length);
        auto* out = reinterpret_cast<unsigned char*>(key.data() + at);
        return i2d_X509(cert, &out) == size;
    };
    if (!add(leaf)) {
        return "";
    }
    for (const auto& cert : extra) {
        if (!add(cert.get())) {
            return "";
        }
    }
    return key;
}

bool add_time_boundaries(const X509* cert, std::vector<std::time_t>& out) {
    return add_both(X509_get0_notBefore(cert), X509_get0_notAfter(cert), out);
}

bool add_time_boundaries(const X509_CRL* crl, std::vector<std::time_t>& out) {
    return add_both(X509_CRL_get0_lastUpdate(crl), X509_CRL_get0_nextUpdate(crl), out);
}

std::optional<time_span> steady_span(const std::vector<std::time_t>& fixed,
                                     const std::vector<std::time_t>& more, std::time_t first,
                                     std::time_t last) {
    time_span span{std::numeric_limits<std::time_t>::min(),
                   std::numeric_limits<std::time_t>::max()};
    for (const auto* list : {&fixed, &more}) {
        for (const std::time_t b : *list) {
            if (b > first && b <= last) {
                return std::nullopt;
            }
            if (b <= first) {
                span.from = std::max(span.from, b);
            } else {
                span.to = std::min(span.to, b - 1);
            }
        }
    }
    return span;
}

}  // namespace lienthong::bus::crypto
