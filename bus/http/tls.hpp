#pragma once
// TLS for the REST listener: the server context built once from the config, and the client
// identity read from an established connection.
#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>

#include "config/config.hpp"
#include "http/types.hpp"

namespace lienthong::bus::http {

/// A server context: TLS 1.2 and later only, no compression or renegotiation, the certificate
/// chain and key of `c`. With `c.client_ca`, clients may present a certificate; one that does not
/// chain to that CA (untrusted, expired, wrong purpose) fails the handshake, while clients without
/// a certificate proceed (and need a bearer token). Throws std::runtime_error naming the file.
boost::asio::ssl::context make_server_context(const config::tls_config& c);

/// The client certificate of an established connection when the handshake verified one.
connection_info connection_info_of(SSL* ssl);

/// Why the peer's certificate failed verification (OpenSSL's words), "" when it did not.
std::string verify_failure_of(SSL* ssl);

}  // namespace lienthong::bus::http
