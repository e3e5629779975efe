#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "http/authenticator.hpp"
#include "http/rate_limiter.hpp"
#include "http/types.hpp"
#include "http/worker_pool.hpp"

namespace lienthong::bus::http {

/// Where an endpoint's handler runs: on a request worker (worker_pool.hpp; anything that checks
/// signatures, validates XML or calls the tracking store or the broker), or on the network
/// thread that read the request (only answers computed from memory, such as /healthz).
enum class runs_on { worker, network };

/// One REST endpoint. `handle` contains no socket code: it gets the whole request, by move (the
/// body is not copied on its way to the pipeline), and answers through the responder, possibly
/// later and from another thread.
struct endpoint {
    beast_http::verb method;
    std::string path;          ///< exact path, or a prefix when it ends with '/' (which
                               ///< matches itself and every path below it)
    role needs = role::none;   ///< agency: an agency's credentials; admin: the admin role
    std::string content_type;  ///< required media type of the body ("" = any)
    std::function<void(request&&, const caller&, responder)> handle;
    runs_on where = runs_on::worker;
};

/// Which endpoint serves a request and who calls it.
struct admission {
    const endpoint* target = nullptr;
    caller who;
};

/// Decides, from the connection and the request header alone, whether a request may proceed, so
/// that unknown routes, missing or wrong credentials, callers over their rate, wrong media types
/// and oversize bodies are refused before the body is read. Endpoints are fixed after set-up;
/// admit() and serve() are thread-safe.
///
/// Authorization beyond the role (e.g. "only the addressee may post a status") depends on the
/// resource and is the handler's job, with the helpers below.
class router final {
  public:
    /// `workers`: where handlers of runs_on::worker endpoints run; nullptr runs every handler on
    /// the calling thread (unit tests). Must outlive the router.
    router(const authenticator& auth, rate_limiter& limiter, std::size_t max_body_bytes,
           worker_pool* workers = nullptr);

    void add(endpoint e);
    const std::vector<endpoint>& endpoints() const { return endpoints_; }

    /// Errors: not_found, method_not_allowed, unauthenticated (401: no or bad credentials where
    /// needed), forbidden (403: credentials of the wrong role), rate_limited (429, with
    /// retry_after_s), unsupported_media_type, payload_too_large.
    core::result<admission> admit(const beast_http::request_header<>& header,
                                  const connection_info& connection = {}) const;

    /// Runs the admitted endpoint's handler with `req` where the endpoint says (runs_on). With
    /// the workers' queue full, answers 503 server-busy (Retry-After: 1) at once instead.
    void dispatch(const admission& admitted, request&& req, responder respond) const;

    /// admit() then dispatch(); for callers that already hold the whole request (and tests).
    void serve(request req, responder respond, const connection_info& connection = {}) const;

  private:
    /// No endpoint for this method at `target`: 405 with Allow listing the methods served there
    /// (RFC 9110 section 15.5.6), or 404 when nothing is served there.
    core::failure not_served(const beast_http::request_header<>& header,
                             std::string_view target) const;

    const authenticator& auth_;
    rate_limiter& limiter_;
    std::size_t max_body_bytes_;
    worker_pool* workers_;
    std::vector<endpoint> endpoints_;
};

/// `segment` with its %XX escapes decoded (RFC 3986 section 2.1); nullopt for a malformed or
/// truncated escape. Real DocumentIds hold '/' (e.g. "000.00.00.G22,2025/03/14,1234/VPCP"), which
/// a path segment can only carry as %2F. Thread-safe.
std::optional<std::string> percent_decode(std::string_view segment);

/// 403 `forbidden` unless the caller is the agency `agency` (e.g. reading its own inbox).
/// `what` completes "only <agency> may ..." in the message.
core::result<void> require_agency(const caller& who, const std::string& agency,
                                  const std::string& what);

/// 403 `forbidden` unless the caller is one of `agencies` (e.g. the sender and the recipients
/// of a document, for its journey).
core::result<void> require_one_of(const caller& who, const std::vector<std::string>& agencies,
                                  const std::string& what);

}  // namespace lienthong::bus::http
