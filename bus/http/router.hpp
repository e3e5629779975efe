#pragma once
#include <functional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "http/authenticator.hpp"
#include "http/types.hpp"

namespace lienthong::bus::http {

/// One REST endpoint. `handle` contains no socket code: it gets the whole request and answers
/// through the responder, possibly later and from another thread.
struct endpoint {
    beast_http::verb method;
    std::string path;            ///< exact path, or a prefix when it ends with '/'
    bool needs_agency = false;   ///< requires a valid bearer token
    std::string content_type;    ///< required media type of the body ("" = any)
    std::function<void(const request&, const caller&, responder)> handle;
};

/// Which endpoint serves a request and who calls it.
struct admission {
    const endpoint* target = nullptr;
    caller who;
};

/// Decides, from the request header alone, whether a request may proceed, so that unknown
/// routes, missing credentials, wrong media types and oversize bodies are refused before the
/// body is read. Immutable after set-up (thread-safe).
class router final {
public:
    router(const authenticator& auth, std::size_t max_body_bytes);

    void add(endpoint e);

    /// Errors: not_found, method_not_allowed, unauthenticated, unsupported_media_type,
    /// payload_too_large.
    core::result<admission> admit(const beast_http::request_header<>& header) const;

    /// admit() then handle(); for callers that already hold the whole request (and tests).
    void serve(const request& req, responder respond) const;

private:
    const authenticator& auth_;
    std::size_t max_body_bytes_;
    std::vector<endpoint> endpoints_;
};

}  // namespace lienthong::bus::http
