#pragma once
#include <boost/beast/http.hpp>
#include <functional>
#include <optional>
#include <string>

namespace lienthong::bus::http {

namespace beast_http = boost::beast::http;
using request = beast_http::request<beast_http::string_body>;
using response = beast_http::response<beast_http::string_body>;
/// Sends the response of one request; callable from any thread, exactly once.
using responder = std::function<void(response&&)>;

/// What a caller is, and what an endpoint needs (`endpoint::needs`): nothing, an agency (bearer
/// token or client certificate bound to one agency), or the admin role (an admin token).
enum class role { none, agency, admin };

/// A client certificate the TLS layer verified against `tls.client_ca` during the handshake.
struct client_certificate {
    std::string subject;             ///< RFC 2253, for logs
    std::string uid;                 ///< subject UID (0.9.2342.19200300.100.1.1), may be empty
    std::string sha256_fingerprint;  ///< lowercase hex of the DER
};

/// What the connection established before any request was read.
struct connection_info {
    std::optional<client_certificate> certificate;  ///< set only when verified
};

/// Who is calling, as established from the connection and the request header.
struct caller {
    role kind = role::none;
    std::string agency;  ///< the agency code when kind == role::agency, else empty
    std::string admin;   ///< the admin token's name when kind == role::admin, else empty
};

}  // namespace lienthong::bus::http
