#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"

namespace lienthong::bus::http {

/// Bearer tokens bound to agencies. Only SHA-256 digests of tokens are kept, so the config file
/// never holds a usable secret. Immutable after construction (thread-safe).
class authenticator final {
public:
    explicit authenticator(const std::vector<config::token_config>& tokens);

    /// The agency of an `Authorization: Bearer <token>` header value; nullopt if absent or unknown.
    std::optional<std::string> agency_for(std::string_view authorization) const;

    static std::string sha256_hex(std::string_view data);

private:
    std::map<std::string, std::string> agency_by_digest_;
};

}  // namespace lienthong::bus::http
