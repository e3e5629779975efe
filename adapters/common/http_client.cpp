#include "adapters/common/http_client.hpp"

#include <algorithm>
#include <boost/algorithm/string/predicate.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/version.hpp>
#include <cctype>
#include <optional>

namespace lienthong::adapters::common {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using clock = std::chrono::steady_clock;

namespace {

/// Replies larger than this are cut off: adapters only need statuses and small JSON bodies.
constexpr std::uint64_t max_reply_bytes = 8 * 1024 * 1024;

using boost::algorithm::iequals;

/// Runs the io_context until `done` or the deadline; on the deadline `cancel` aborts the
/// operation and its handler is still drained, so nothing outlives this call.
template <class Cancel>
bool run_until(net::io_context& ioc, const bool& done, clock::time_point deadline, Cancel cancel) {
    ioc.restart();
    while (!done && clock::now() < deadline) {
        ioc.run_one_until(deadline);
    }
    if (done) {
        return true;
    }
    cancel();
    ioc.restart();
    ioc.run();
    return false;
}

/// One exchange over `stream` (plain tcp_stream or ssl_stream) once connected.
template <class Stream, class Cancel>
http_result exchange(net::io_context& ioc, Stream& stream, const http_request& req,
                     const parsed_url& url, clock::time_point deadline, Cancel cancel) {
    http_result out;
    // span_body: the serializer reads the caller's bytes in place (no copy of a large packet).
    bhttp::request<bhttp::span_body<const char>> msg{bhttp::string_to_verb(req.method), url.target,
                                                     11};
    if (msg.method() == bhttp::verb::unknown) {
        out.error = "unknown HTTP method '" + req.method + "'";
        return out;
    }
    msg.set(bhttp::field::host, url.host);
    msg.set(bhttp::field::user_agent, "lienthong-bus");
    msg.set(bhttp::field::connection, "close");
    for (const auto& [k, v] : req.headers) {
        msg.set(k, v);
    }
    if (req.body) {
        msg.body() = {req.body->data(), req.body->size()};
    }
    msg.prepare_payload();

    bool done = false;
    beast::error_code ec;
    bhttp::async_write(stream, msg, [&](beast::error_code e, std::size_t) {
        ec = e;
        done = true;
    });
    if (!run_until(ioc, done, deadline, cancel)) {
        out.error = "timed out sending the request";
        return out;
    }
    if (ec) {
        out.error = "sending the request failed: " + ec.message();
        return out;
    }
    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(max_reply_bytes);
    done = false;
    bhttp::async_read(stream, buffer, parser, [&](beast::error_code e, std::size_t) {
        ec = e;
        done = true;
    });
    if (!run_until(ioc, done, deadline, cancel)) {
        out.error = "timed out waiting for the reply";
        return out;
    }
    if (ec) {
        out.error = "reading the reply failed: " + ec.message();
        return out;
    }
    auto res = parser.release();
    out.status = static_cast<int>(res.result_int());
    for (const auto& f : res) {
        out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    }
    out.body = std::move(res.body());
    return out;
}

}  // namespace

std::string http_result::header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
        if (iequals(k, name)) {
            return v;
        }
    }
    return {};
}

parsed_url parse_url(const std::string& url) {
    parsed_url p;
    std::string_view rest = url;
    if (rest.rfind("http://", 0) == 0) {
        rest.remove_prefix(7);
    } else if (rest.rfind("https://", 0) == 0) {
        rest.remove_prefix(8);
        p.https = true;
    } else {
        p.error = "must start with http:// or https://";
        return p;
    }
    const auto slash = rest.find_first_of("/?#");
    std::string_view authority = rest.substr(0, slash);
    p.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
    if (p.target.front() != '/') {
        p.target.insert(0, "/");
    }
    if (const auto hash = p.target.find('#'); hash != std::string::npos) {
        p.target.erase(hash);
    }
    if (authority.find('@') != std::string_view::npos) {
        p.error = "must not carry credentials (user@host)";
        return p;
    }
    std::string_view port;
    if (!authority.empty() && authority.front() == '[') {  // IPv6 literal
        const auto close = authority.find(']');
        if (close == std::string_view::npos) {
            p.error = "has an unterminated IPv6 address";
            return p;
        }
        p.host = std::string(authority.substr(1, close - 1));
        if (close + 1 < authority.size() && authority[close + 1] == ':') {
            port = authority.substr(close + 2);
        }
    } else {
        const auto colon = authority.rfind(':');
        p.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) {
            port = authority.substr(colon + 1);
        }
    }
    if (p.host.empty()) {
        p.error = "has no host";
        return p;
    }
    if (!port.empty()) {
        const bool digits = std::all_of(port.begin(), port.end(), [](char c) {
            return std::isdigit(static_cast<unsigned char>(c));
        });
        if (!digits || port.size() > 5 || std::stoi(std::string(port)) == 0 ||
            std::stoi(std::string(port)) > 65535) {
            p.error = "has an invalid port";
            return p;
        }
        p.port = std::string(port);
    } else {
        p.port = p.https ? "443" : "80";
    }
    p.ok = true;
    return p;
}

namespace {

/// Resolves the URL's host and connects, both within `deadline`. Returns "" on success, else
/// what failed, for the operator.
std::string connect(net::io_context& ioc, beast::tcp_stream& tcp_stream, const parsed_url& url,
                    clock::time_point deadline) {
    tcp::resolver resolver(ioc);
    bool done = false;
    beast::error_code ec;
    tcp::resolver::results_type endpoints;
    beast::error_code not_literal;
    (void)net::ip::make_address(url.host, not_literal);
    if (!not_literal) {
        // An IP address needs no lookup; Asio's async resolve would start a thread per call.
        endpoints = resolver.resolve(
            url.host, url.port, tcp::resolver::numeric_host | tcp::resolver::numeric_service, ec);
        done = true;
    } else {
        resolver.async_resolve(url.host, url.port,
                               [&](beast::error_code e, tcp::resolver::results_type r) {
                                   ec = e;
                                   endpoints = std::move(r);
                                   done = true;
                               });
    }
    if (!run_until(ioc, done, deadline, [&] { resolver.cancel(); })) {
        return "timed out resolving " + url.host;
    }
    if (ec) {
        return "cannot resolve " + url.host + ": " + ec.message();
    }
    done = false;
    tcp_stream.async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) {
        ec = e;
        done = true;
    });
    if (!run_until(ioc, done, deadline, [&] { tcp_stream.close(); })) {
        return "timed out connecting to " + url.host + ":" + url.port;
    }
    if (ec) {
        return "cannot connect to " + url.host + ":" + url.port + ": " + ec.message();
    }
    return {};
}

/// Sets up `ctx` for a client: TLS 1.2 and later, peers verified against `tls->ca_file` (or the
/// system's CAs), the client certificate when configured. Returns "" or what failed.
std::string set_up_client_tls(ssl::context& ctx, const tls_options* tls) {
    beast::error_code ec;
    ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                    ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    ctx.set_verify_mode(ssl::verify_peer);
    if (tls && !tls->ca_file.empty()) {
        ctx.load_verify_file(tls->ca_file, ec);
    } else {
        ctx.set_default_verify_paths(ec);
    }
    if (!ec && tls && !tls->client_cert.empty()) {
        ctx.use_certificate_chain_file(tls->client_cert, ec);
        if (!ec) {
            ctx.use_private_key_file(tls->client_key, ssl::context::pem, ec);
        }
    }
    return ec ? "TLS set-up failed: " + ec.message() : std::string{};
}

/// The handshake (SNI and host name verification: the certificate must name the URL's host),
/// then the exchange, on the connected `tcp_stream`.
http_result exchange_over_tls(net::io_context& ioc, beast::tcp_stream&& tcp_stream,
                              const http_request& req, const parsed_url& url,
                              clock::time_point deadline, const tls_options* tls) {
    http_result out;
    ssl::context ctx(ssl::context::tls_client);
    if (out.error = set_up_client_tls(ctx, tls); !out.error.empty()) {
        return out;
    }
    beast::ssl_stream<beast::tcp_stream> stream(std::move(tcp_stream), ctx);
    auto close_tls = [&] { beast::get_lowest_layer(stream).close(); };
    if (!SSL_set_tlsext_host_name(stream.native_handle(), url.host.c_str())) {
        out.error = "TLS set-up failed: cannot set SNI";
        return out;
    }
    stream.set_verify_callback(ssl::host_name_verification(url.host));
    bool done = false;
    beast::error_code ec;
    stream.async_handshake(ssl::stream_base::client, [&](beast::error_code e) {
        ec = e;
        done = true;
    });
    if (!run_until(ioc, done, deadline, close_tls)) {
        out.error = "timed out in the TLS handshake";
        return out;
    }
    if (ec) {
        out.error = "TLS handshake failed: " + ec.message();
        return out;
    }
    out = exchange(ioc, stream, req, url, deadline, close_tls);
    close_tls();  // no close_notify round trip: the reply is complete, time is bounded
    return out;
}

}  // namespace

http_result send(const http_request& req, const tls_options* tls) {
    http_result out;
    const auto url = parse_url(req.url);
    if (!url.ok) {
        out.error = "url " + url.error;
        return out;
    }
    const auto deadline = clock::now() + req.timeout;
    net::io_context ioc;
    beast::tcp_stream tcp_stream(ioc);
    if (out.error = connect(ioc, tcp_stream, url, deadline); !out.error.empty()) {
        return out;
    }
    if (url.https) {
        return exchange_over_tls(ioc, std::move(tcp_stream), req, url, deadline, tls);
    }
    out = exchange(ioc, tcp_stream, req, url, deadline, [&] { tcp_stream.close(); });
    beast::error_code ignored;
    tcp_stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    return out;
}

}  // namespace lienthong::adapters::common
