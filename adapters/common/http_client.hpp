#pragma once
/// A small blocking outbound HTTP/1.1 client for adapters (Beast, optional TLS with a client
/// certificate). Each call opens one connection, sends one request and closes, so nothing is
/// shared between calls.
///
/// Thread-safety: send() may be called concurrently from any thread.
/// Errors: never throws; connection, TLS, timeout and protocol problems come back in
/// http_result::error (status 0). A reply with any status code is a success of send().
#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace lienthong::adapters::common {

struct http_request {
    std::string method = "POST";
    std::string url;  ///< http://host[:port]/path or https://host[:port]/path
    std::vector<std::pair<std::string, std::string>> headers;
    /// Shared, not copied: a webhook sends the queued packet's own bytes (null = no body).
    std::shared_ptr<const std::string> body;
    /// Bounds the whole exchange: connect, TLS handshake, write and read.
    std::chrono::milliseconds timeout{10'000};
};

struct http_result {
    int status = 0;  ///< 0 when no reply was read (see error)
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  ///< as received
    std::string error;                                         ///< empty when a reply was read

    bool ok() const noexcept { return error.empty(); }
    /// First header with this name (case-insensitive), or "".
    std::string header(std::string_view name) const;
};

/// TLS settings for https URLs. Without ca_file the system trust store verifies the server.
struct tls_options {
    std::string ca_file;      ///< PEM CA bundle to verify the server ("" = system default)
    std::string client_cert;  ///< PEM client certificate chain ("" = none)
    std::string client_key;   ///< PEM private key of client_cert
};

/// Parts of an http(s) URL; `ok` is false (and `error` says why) when it cannot be used.
struct parsed_url {
    bool ok = false;
    bool https = false;
    std::string host;
    std::string port;
    std::string target;  ///< path and query, at least "/"
    std::string error;
};
parsed_url parse_url(const std::string& url);

/// Sends one request. `tls` may be nullptr (system defaults, no client certificate).
http_result send(const http_request& request, const tls_options* tls = nullptr);

}  // namespace lienthong::adapters::common
