#include "crypto/certificate_cache.hpp"

namespace lienthong::bus::crypto {

namespace {

x509_ptr new_reference(X509* cert) { return X509_up_ref(cert) == 1 ? x509_ptr{cert} : nullptr; }

}  // namespace

x509_ptr certificate_cache::get(std::string_view der) {
    std::string key(der);
    {
        std::lock_guard lock(mutex_);
        if (auto found = certs_.find(key); found != certs_.end()) {
            return new_reference(found->second.get());
        }
    }
    // Decoded outside the lock: two threads may both decode a new signer, and one copy wins.
    x509_ptr cert = parse_der_certificate(der);
    if (!cert) {
        return nullptr;
    }
    x509_ptr mine = new_reference(cert.get());
    std::lock_guard lock(mutex_);
    if (certs_.size() >= capacity_) {
        certs_.clear();
    }
    certs_.try_emplace(std::move(key), std::move(cert));
    return mine;
}

std::size_t certificate_cache::size() const {
    std::lock_guard lock(mutex_);
    return certs_.size();
}

}  // namespace lienthong::bus::crypto
