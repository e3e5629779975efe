#pragma once
// The one place where the error taxonomy becomes HTTP: status codes and problem+json bodies
// (RFC 9457). Clients see `type`, `title`, `detail`, the field at fault and schema issues; never
// log_detail.
#include "core/error.hpp"
#include "http/types.hpp"

namespace lienthong::bus::http {

beast_http::status http_status(core::errc code) noexcept;

/// A problem+json response for `f`; `version` and `keep_alive` come from the request.
response make_problem(const core::failure& f, unsigned version, bool keep_alive);

/// A JSON response with the given status.
response make_json(beast_http::status status, std::string body, unsigned version, bool keep_alive);

}  // namespace lienthong::bus::http
