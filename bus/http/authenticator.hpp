#pragma once
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "core/result.hpp"
#include "http/types.hpp"
#include "routing/directory.hpp"

namespace lienthong::bus::http {

/// Establishes who calls. Two methods: a client certificate verified by the TLS layer (its subject
/// UID is an agency code of the directory, or its SHA-256 fingerprint is listed for an agency),
/// and bearer tokens bound to one agency or to the admin role. Only SHA-256 digests of tokens are
/// kept, so the config file never holds a usable secret. Immutable after construction
/// (thread-safe); `directory` must outlive it.
class authenticator final {
  public:
    authenticator(const std::vector<config::token_config>& tokens,
                  const std::vector<config::admin_token_config>& admin_tokens,
                  const routing::directory& directory);

    /// The caller of a request: role::none when it presents no credentials. Errors:
    /// unauthenticated when the bearer token is unknown or malformed, or when the certificate and
    /// the token name different callers (both are checked: neither may override the other).
    core::result<caller> identify(std::string_view authorization,
                                  const connection_info& connection) const;

  private:
    const routing::directory& directory_;
    std::map<std::string, caller> caller_by_digest_;
    std::map<std::string, std::string> agency_by_fingerprint_;
};

}  // namespace lienthong::bus::http
