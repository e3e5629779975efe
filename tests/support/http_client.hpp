#pragma once
// A blocking loopback HTTP client for tests.
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace lienthong::test {

struct http_reply {
    int status = 0;
    std::string body;
    std::map<std::string, std::string> headers;  ///< lowercase names
};

/// Sends one request to 127.0.0.1:port and returns the reply. Throws on connection errors.
http_reply http_call(unsigned short port, const std::string& method, const std::string& target,
                     const std::string& body = {},
                     const std::vector<std::pair<std::string, std::string>>& headers = {});

/// Client side of TLS for https_call: the CA that must have issued the server's certificate
/// and, for mutual TLS, the client certificate and key to present (empty = none).
struct tls_client {
    std::string ca_file;
    std::string cert_file;
    std::string key_file;
};

/// http_call over TLS (1.2+, server certificate verified against `tls.ca_file` and checked for
/// the host 127.0.0.1). Throws on connection and handshake errors.
http_reply https_call(unsigned short port, const tls_client& tls, const std::string& method,
                      const std::string& target, const std::string& body = {},
                      const std::vector<std::pair<std::string, std::string>>& headers = {});

/// POST /v1/documents as `token` with Content-Type application/xml.
http_reply post_document(unsigned short port, const std::string& token, const std::string& body);

/// The DocumentIds in `agency`'s pull inbox (GET /v1/inbox with its test token), oldest first.
/// Throws std::runtime_error when the bus does not answer 200.
std::vector<std::string> inbox_document_ids(unsigned short port, const std::string& agency);

}  // namespace lienthong::test
