#include "support/http_client.hpp"

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json.hpp>
#include <cctype>
#include <stdexcept>

#include "support/bus_process.hpp"

namespace lienthong::test {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = net::ssl;

namespace {

/// Writes one request on a connected stream and reads the reply.
template <class Stream>
http_reply exchange(Stream& stream, const std::string& method, const std::string& target,
                    const std::string& body,
                    const std::vector<std::pair<std::string, std::string>>& headers) {
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, "127.0.0.1");
    for (const auto& [k, v] : headers) {
        req.set(k, v);
    }
    req.body() = body;
    if (!body.empty() || method == "POST") {
        req.prepare_payload();
    }
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    http::read(stream, buffer, parser);
    const auto& res = parser.get();
    http_reply out{static_cast<int>(res.result_int()), res.body(), {}};
    for (const auto& f : res) {
        std::string name(f.name_string());
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return std::tolower(c); });
        out.headers[name] = std::string(f.value());
    }
    return out;
}

net::ip::tcp::endpoint loopback(unsigned short port) {
    return {net::ip::make_address("127.0.0.1"), port};
}

}  // namespace

http_reply http_call(unsigned short port, const std::string& method, const std::string& target,
                     const std::string& body,
                     const std::vector<std::pair<std::string, std::string>>& headers) {
    net::io_context ioc;
    beast::tcp_stream stream(ioc);
    stream.expires_after(std::chrono::seconds(30));
    stream.connect(loopback(port));
    auto out = exchange(stream, method, target, body, headers);
    beast::error_code ignored;
    stream.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
    return out;
}

http_reply https_call(unsigned short port, const tls_client& tls, const std::string& method,
                      const std::string& target, const std::string& body,
                      const std::vector<std::pair<std::string, std::string>>& headers) {
    net::io_context ioc;
    ssl::context ctx(ssl::context::tls_client);
    SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
    ctx.load_verify_file(tls.ca_file);
    if (!tls.cert_file.empty()) {
        ctx.use_certificate_chain_file(tls.cert_file);
        ctx.use_private_key_file(tls.key_file, ssl::context::pem);
    }
    beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
    stream.set_verify_mode(ssl::verify_peer);
    stream.set_verify_callback(ssl::host_name_verification("127.0.0.1"));
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(30));
    beast::get_lowest_layer(stream).connect(loopback(port));
    stream.handshake(ssl::stream_base::client);
    auto out = exchange(stream, method, target, body, headers);
    beast::error_code ignored;
    beast::get_lowest_layer(stream).socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
    return out;
}

http_reply post_document(unsigned short port, const std::string& token, const std::string& body) {
    return http_call(port, "POST", "/v1/documents", body,
                     {{"Authorization", "Bearer " + token}, {"Content-Type", "application/xml"}});
}

std::vector<std::string> inbox_document_ids(unsigned short port, const std::string& agency) {
    const auto r =
        http_call(port, "GET", "/v1/inbox", {}, {{"Authorization", "Bearer " + token_of(agency)}});
    if (r.status != 200) {
        throw std::runtime_error("GET /v1/inbox answered " + std::to_string(r.status) + ": " +
                                 r.body);
    }
    const auto body = boost::json::parse(r.body);  // kept alive: the loop borrows from it
    std::vector<std::string> ids;
    for (const auto& d : body.at("documents").as_array()) {
        ids.emplace_back(d.at("document_id").as_string());
    }
    return ids;
}

}  // namespace lienthong::test
