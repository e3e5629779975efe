#include "http/authenticator.hpp"

#include "crypto/digest.hpp"

namespace lienthong::bus::http {

authenticator::authenticator(const std::vector<config::token_config>& tokens,
                             const std::vector<config::admin_token_config>& admin_tokens,
                             const routing::directory& directory)
    : directory_(directory) {
    for (const auto& t : tokens) {
        caller_by_digest_.emplace(t.sha256, caller{role::agency, t.agency, {}});
    }
    for (const auto& t : admin_tokens) {
        caller_by_digest_.emplace(t.sha256, caller{role::admin, {}, t.name});
    }
    for (const auto& a : directory.agencies()) {
        for (const auto& f : a.fingerprints) {
            agency_by_fingerprint_.emplace(f, a.code);
        }
    }
}

core::result<caller> authenticator::identify(std::string_view authorization,
                                             const connection_info& connection) const {
    caller by_certificate;
    if (const auto& cert = connection.certificate) {
        if (directory_.find(cert->uid)) {
            by_certificate = caller{role::agency, cert->uid, {}};
        } else if (auto it = agency_by_fingerprint_.find(cert->sha256_fingerprint);
                   it != agency_by_fingerprint_.end()) {
            by_certificate = caller{role::agency, it->second, {}};
        }
    }
    if (authorization.empty()) {
        return by_certificate;
    }
    constexpr std::string_view scheme = "Bearer ";
    if (authorization.size() <= scheme.size() || authorization.substr(0, scheme.size()) != scheme) {
        return core::fail(core::errc::unauthenticated,
                          "the Authorization header must be 'Bearer <token>'", "Authorization");
    }
    // Comparing digests, not tokens: a timing difference reveals nothing about the token.
    auto it = caller_by_digest_.find(crypto::sha256_hex(authorization.substr(scheme.size())));
    if (it == caller_by_digest_.end()) {
        return core::fail(core::errc::unauthenticated, "the bearer token is not valid",
                          "Authorization");
    }
    if (by_certificate.kind != role::none &&
        (it->second.kind != role::agency || it->second.agency != by_certificate.agency)) {
        return core::fail(core::errc::unauthenticated,
                          "the client certificate and the bearer token name different callers",
                          "Authorization");
    }
    return it->second;
}

}  // namespace lienthong::bus::http
