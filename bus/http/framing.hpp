#pragma once
// The HTTP/1.1 message framing rules (RFC 9112) that Beast's parser leaves to the server, and
// which parse errors are the client's fault (answered 400 / 431) rather than a vanished peer.
// Pure functions of the parsed header and the parser's error code: no socket code, so they are
// testable without a network. Thread-safe.
#include <boost/beast/core/error.hpp>
#include <cstddef>
#include <optional>

#include "core/result.hpp"
#include "http/types.hpp"

namespace lienthong::bus::http {

/// Checks a parsed request header before anything else looks at it. Every error is
/// malformed_request (400), and the session then closes the connection, since the request's
/// end (and so where a next one would start) is not known for sure:
/// - HTTP/1.1 without exactly one Host field, or a Host value with characters no host can have
///   (RFC 9112 section 3.2);
/// - Transfer-Encoding together with Content-Length (RFC 9112 section 6.3 item 3);
/// - Transfer-Encoding in an HTTP/1.0 request (RFC 9112 section 6.1);
/// - Transfer-Encoding other than exactly `chunked`: a final coding that is not chunked
///   (RFC 9112 section 6.3 item 4) and codings the bus does not implement (gzip, ...) alike;
/// - more than one Content-Length, or one that is not a decimal number (RFC 9112 section 6.3
///   item 5; Beast refuses most of these itself, this covers what it lets through).
core::result<void> check_framing(const beast_http::request_header<>& header);

/// Whether the client waits for `100 Continue` before sending the body: an HTTP/1.1 request
/// with `Expect: 100-continue` (RFC 9110 section 10.1.1; the value is case-insensitive).
bool expects_continue(const beast_http::request_header<>& header);

/// What to answer for an error of Beast's request parser: header_too_large (431) for a request
/// line and header section over `max_header_bytes`, malformed_request (400) for bytes that are
/// not HTTP/1.1 (request line, field syntax, Content-Length, chunk sizes); nullopt when there is
/// nobody to answer (the peer closed, a timeout, a socket error). The body limit is the
/// caller's (413).
std::optional<core::failure> parse_failure(const boost::beast::error_code& ec,
                                           std::size_t max_header_bytes);

}  // namespace lienthong::bus::http
