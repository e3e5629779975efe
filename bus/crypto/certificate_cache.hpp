#pragma once
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "crypto/openssl.hpp"

namespace lienthong::bus::crypto {

/// Decoded certificates by their exact DER bytes. Every packet carries its signer's chain in
/// KeyInfo, and OpenSSL 3 decodes a certificate's public key through its provider decoders,
/// which costs more than the RSA verify itself; a province has a few hundred signers, so each
/// is decoded once. Only the parse is cached here, never a trust decision (successful chain
/// checks are remembered by each trust material, see chain_cache.hpp). Thread-safe; bounded
/// (emptied when full; 1,024 entries is a few MB at most, and a province's signers plus their CAs
/// fit).
class certificate_cache final {
  public:
    explicit certificate_cache(std::size_t capacity = 1024) : capacity_(capacity) {}

    /// The certificate for `der` (a new reference the caller owns), or nullptr if it is not one.
    x509_ptr get(std::string_view der);

    std::size_t size() const;

  private:
    std::size_t capacity_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, x509_ptr> certs_;
};

}  // namespace lienthong::bus::crypto
