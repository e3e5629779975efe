#include "http/authenticator.hpp"

#include <openssl/evp.h>

#include <array>
#include <cstdio>

namespace lienthong::bus::http {

authenticator::authenticator(const std::vector<config::token_config>& tokens) {
    for (const auto& t : tokens) {
        agency_by_digest_.emplace(t.sha256, t.agency);
    }
}

std::string authenticator::sha256_hex(std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), md.data(), &len, EVP_sha256(), nullptr) != 1) {
        return {};
    }
    std::string hex;
    hex.reserve(len * 2);
    for (unsigned i = 0; i < len; ++i) {
        char b[3];
        std::snprintf(b, sizeof b, "%02x", md[i]);
        hex.append(b, 2);
    }
    return hex;
}

std::optional<std::string> authenticator::agency_for(std::string_view authorization) const {
    constexpr std::string_view scheme = "Bearer ";
    if (authorization.size() <= scheme.size() ||
        authorization.substr(0, scheme.size()) != scheme) {
        return std::nullopt;
    }
    // Comparing digests, not tokens: a timing difference reveals nothing about the token.
    auto it = agency_by_digest_.find(sha256_hex(authorization.substr(scheme.size())));
    if (it == agency_by_digest_.end()) {
        return std::nullopt;
    }
    return it->second;
}

}  // namespace lienthong::bus::http
