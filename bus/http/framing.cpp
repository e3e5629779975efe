#include "http/framing.hpp"

#include <boost/beast/http/error.hpp>
#include <boost/beast/http/rfc7230.hpp>
#include <string>
#include <string_view>

namespace lienthong::bus::http {

namespace {

using core::errc;

core::failure malformed(std::string message, std::string field = {}) {
    return core::fail(errc::malformed_request, std::move(message), std::move(field));
}

// uri-host [ ":" port ] (RFC 3986 section 3.2.2): reg-name, IPv4 or an IP-literal in brackets.
bool is_host_value(std::string_view v) {
    for (char c : v) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') ||
                        std::string_view("-._~!$&'()*+,;=:[]%").find(c) != std::string_view::npos;
        if (!ok) {
            return false;
        }
    }
    return true;
}

bool is_decimal(std::string_view v) {
    return !v.empty() && v.find_first_not_of("0123456789") == std::string_view::npos;
}

core::result<void> check_transfer_encoding(const beast_http::request_header<>& h) {
    if (h.count(beast_http::field::content_length) > 0) {
        return malformed(
            "Transfer-Encoding and Content-Length together make the body's length "
            "ambiguous (RFC 9112 section 6.3)",
            "Transfer-Encoding");
    }
    if (h.version() < 11) {
        return malformed(
            "Transfer-Encoding is not allowed in an HTTP/1.0 request (RFC 9112 "
            "section 6.1)",
            "Transfer-Encoding");
    }
    std::size_t codings = 0;
    bool chunked_last = false;
    for (const auto& field : h) {
        if (field.name() != beast_http::field::transfer_encoding) {
            continue;
        }
        for (const auto& coding : beast_http::token_list{field.value()}) {
            ++codings;
            chunked_last = boost::beast::iequals(coding, "chunked");
        }
    }
    if (codings != 1 || !chunked_last) {
        return malformed(
            "Transfer-Encoding must be exactly \"chunked\": the final coding must be "
            "chunked (RFC 9112 section 6.3) and the bus decodes no other coding",
            "Transfer-Encoding");
    }
    return {};
}

}  // namespace

core::result<void> check_framing(const beast_http::request_header<>& h) {
    const auto hosts = h.count(beast_http::field::host);
    if (h.version() >= 11 && hosts != 1) {
        return malformed(hosts == 0
                             ? "an HTTP/1.1 request needs a Host header (RFC 9112 section 3.2)"
                             : "more than one Host header (RFC 9112 section 3.2)",
                         "Host");
    }
    if (hosts > 0 && !is_host_value(h[beast_http::field::host])) {
        return malformed("the Host header is not a host name or address (RFC 9112 section 3.2)",
                         "Host");
    }
    // Fields that hold one value (RFC 9110 section 5.3): given twice, a check reading the first
    // would let the second through unseen, e.g. a wrong token after a valid one.
    for (const auto field : {beast_http::field::authorization, beast_http::field::content_type}) {
        if (h.count(field) > 1) {
            const std::string name(beast_http::to_string(field));
            return malformed("more than one " + name + " header (RFC 9110 section 5.3)", name);
        }
    }
    if (h.count(beast_http::field::transfer_encoding) > 0) {
        return check_transfer_encoding(h);
    }
    const auto lengths = h.count(beast_http::field::content_length);
    if (lengths > 1) {
        return malformed("more than one Content-Length header (RFC 9112 section 6.3)",
                         "Content-Length");
    }
    if (lengths == 1 && !is_decimal(h[beast_http::field::content_length])) {
        return malformed("Content-Length is not a decimal number of bytes (RFC 9112 section 6.3)",
                         "Content-Length");
    }
    return {};
}

bool expects_continue(const beast_http::request_header<>& h) {
    return h.version() >= 11 && boost::beast::iequals(h[beast_http::field::expect], "100-continue");
}

std::optional<core::failure> parse_failure(const boost::beast::error_code& ec,
                                           std::size_t max_header_bytes) {
    using beast_http::error;
    if (ec == error::header_limit) {
        return core::fail(errc::header_too_large,
                          "the request line and header fields are larger than the limit of " +
                              std::to_string(max_header_bytes) + " bytes (RFC 6585 section 5)");
    }
    if (ec.category() != boost::beast::http::make_error_code(error::bad_target).category() ||
        ec == error::end_of_stream || ec == error::partial_message || ec == error::need_more ||
        ec == error::need_buffer || ec == error::body_limit) {
        return std::nullopt;  // the peer left, or not a parse error at all
    }
    auto f = malformed("the request is not valid HTTP/1.1: " + ec.message() +
                       " (RFC 9112); the connection is closed");
    f.log_detail = ec.message();
    return f;
}

}  // namespace lienthong::bus::http
