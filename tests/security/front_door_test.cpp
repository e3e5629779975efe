// The front door of the real lienthong-bus: TLS and mutual TLS, agency identity, limits on
// bodies, slow clients, connections and request rates. Every case also checks that the bus keeps
// serving another agency meanwhile.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <future>
#include <thread>

#include "support/bus_process.hpp"
#include "support/http_client.hpp"
#include "support/rabbitmq.hpp"
#include "support/test_pki.hpp"

using namespace lienthong;
using test::commune1;
using test::commune2;
using test::district1;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

std::string type_of(const test::http_reply& r) {
    return std::string(boost::json::parse(r.body).as_object()["type"].as_string());
}

test::tls_client client_of(const std::string& code_or_kind) {
    const auto dir = test::tls_client_dir(code_or_kind);
    return {test::tls_file("ca.pem"), dir + "/cert.pem", dir + "/key.pem"};
}

test::tls_client without_certificate() { return {test::tls_file("ca.pem"), {}, {}}; }

test::http_reply post_tls(unsigned short port, const test::tls_client& tls, const std::string& body,
                          const std::string& token = {}) {
    std::vector<std::pair<std::string, std::string>> headers{{"Content-Type", "application/xml"}};
    if (!token.empty()) {
        headers.emplace_back("Authorization", "Bearer " + token);
    }
    return test::https_call(port, tls, "POST", "/v1/documents", body, headers);
}

/// Posting an agency's own document shows that the bus still serves an agency other than the
/// one under test: by default the district's (edoc-revocation.edxml is From 000.00.01.H41).
void district_is_served(unsigned short port, const std::string& agency = district1,
                        const std::string& sample = "edoc-revocation.edxml") {
    const auto packet = test::signed_sample(test::sample_path(sample), agency);
    auto r = test::post_document(port, test::token_of(agency), packet);
    INFO(r.body);
    CHECK(r.status == 202);
}

/// Whether the bus logs `text`, waiting up to 10 s: the bus writes some lines just after the
/// client has seen the effect (e.g. after sending the TLS alert).
bool logged(const test::bus_process& bus, const std::string& text) {
    for (int i = 0; i < 200; ++i) {
        if (bus.log().find(text) != std::string::npos) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
}

/// A raw loopback TCP connection for clients that misbehave below HTTP.
struct raw_connection {
    net::io_context ioc;
    tcp::socket socket{ioc};

    explicit raw_connection(unsigned short port) {
        socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    }

    void send(const std::string& bytes) { net::write(socket, net::buffer(bytes)); }

    /// Everything the server sends until it closes the connection.
    std::string read_to_close() {
        std::string out;
        char buf[4096];
        boost::system::error_code ec;
        while (!ec) {
            const auto n = socket.read_some(net::buffer(buf), ec);
            out.append(buf, n);
        }
        return out;
    }

    /// True once the server has closed (EOF or reset), without waiting.
    bool closed_by_server() {
        socket.non_blocking(true);
        char c;
        boost::system::error_code ec;
        socket.read_some(net::buffer(&c, 1), ec);
        socket.non_blocking(false);
        return ec && ec != net::error::would_block;
    }
};

/// Sends `head`, then one more byte of `trickle` every 50 ms until the server cuts the
/// connection; returns whether it did before the trickle ran out (20 s at most).
bool cut_while_trickling(unsigned short port, const std::string& head, const std::string& trickle) {
    raw_connection c(port);
    c.send(head);
    for (char ch : trickle) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        boost::system::error_code ec;
        net::write(c.socket, net::buffer(&ch, 1), ec);
        if (ec || c.closed_by_server()) {
            return true;
        }
    }
    return false;
}

}  // namespace

TEST_CASE("front door: mutual TLS identifies the agency - bearer tokens remain a second method",
          "[security]") {
    test::bus_process bus(test::test_config(test::test_amqp_port(), "", true));
    const auto packet = test::signed_sample(test::sample_path("edoc-new.edxml"), commune1);
    CHECK(bus.log().find("\"scheme\":\"https\"") != std::string::npos);

    SECTION("a client certificate with the agency's UID is enough") {
        auto r = post_tls(bus.port(), client_of(commune1), packet);
        INFO(r.body);
        CHECK(r.status == 202);
    }
    SECTION("a bearer token over TLS without a client certificate") {
        auto r = post_tls(bus.port(), without_certificate(), packet, test::token_of(commune1));
        INFO(r.body);
        CHECK(r.status == 202);
    }
    SECTION("another agency's certificate cannot post as the commune (spoofed From)") {
        auto r = post_tls(bus.port(), client_of(commune2), packet);
        CHECK(r.status == 403);
        CHECK(type_of(r) == "sender-mismatch");
    }
    SECTION("no credentials: 401") {
        auto r = post_tls(bus.port(), without_certificate(), packet);
        CHECK(r.status == 401);
        CHECK(type_of(r) == "unauthenticated");
    }
    SECTION("a certificate and a token of different agencies: 401, neither wins") {
        auto r = post_tls(bus.port(), client_of(commune1), packet, test::token_of(district1));
        CHECK(r.status == 401);
        CHECK(type_of(r) == "unauthenticated");
    }
    SECTION("plain HTTP on the TLS port gets no HTTP answer") {
        CHECK_THROWS(test::http_call(bus.port(), "GET", "/healthz"));
        CHECK(test::https_call(bus.port(), without_certificate(), "GET", "/healthz").status == 200);
    }
}

TEST_CASE("front door: an expired or untrusted client certificate fails the TLS handshake",
          "[security]") {
    test::bus_process bus(test::test_config(test::test_amqp_port(), "", true));
    const auto packet = test::signed_sample(test::sample_path("edoc-new.edxml"), commune1);
    // Both carry the commune's UID; the token is valid too: the certificate alone must sink it.
    CHECK_THROWS(post_tls(bus.port(), client_of("expired"), packet, test::token_of(commune1)));
    CHECK_THROWS(post_tls(bus.port(), client_of("untrusted"), packet, test::token_of(commune1)));
    CHECK(logged(bus, "\"certificate\":\"certificate has expired\""));
    CHECK(logged(bus, "\"certificate\":\"unable to get local issuer certificate\""));
    CHECK(bus.log().find("document.accepted") == std::string::npos);
    // Meanwhile the commune's real certificate still works.
    auto r = post_tls(bus.port(), client_of(commune1), packet);
    INFO(r.body);
    CHECK(r.status == 202);
}

TEST_CASE("front door: oversize bodies get 413 without the rest being read", "[security]") {
    test::bus_process bus(
        test::test_config(test::test_amqp_port(), "limits:\n  max_body_bytes: 65536\n"));
    const std::string head =
        "POST /v1/documents HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Authorization: Bearer " +
        test::token_of(commune1) + "\r\nContent-Type: application/xml\r\n";
    SECTION("from Content-Length, before any of the 100 MB is sent") {
        raw_connection c(bus.port());
        c.send(head + "Content-Length: 100000000\r\n\r\n<edXML>");
        const auto reply = c.read_to_close();
        CHECK(reply.starts_with("HTTP/1.1 413"));
        CHECK(reply.find("\"type\":\"payload-too-large\"") != std::string::npos);
    }
    SECTION("while reading a chunked body that grows past the limit") {
        raw_connection c(bus.port());
        std::string body = head + "Transfer-Encoding: chunked\r\n\r\n";
        for (int i = 0; i < 5; ++i) {
            body += "4000\r\n" + std::string(0x4000, 'x') + "\r\n";  // 5 x 16 KiB = 80 KiB
        }
        c.send(body);
        const auto reply = c.read_to_close();
        CHECK(reply.starts_with("HTTP/1.1 413"));
        CHECK(reply.find("\"type\":\"payload-too-large\"") != std::string::npos);
    }
    district_is_served(bus.port());
}

TEST_CASE("front door: slow-loris clients are cut off while other agencies are served",
          "[security]") {
    test::bus_process bus(test::test_config(
        test::test_amqp_port(), "limits:\n  header_timeout_ms: 400\n  read_timeout_ms: 400\n"));
    const std::string pad(400, 'a');
    // One client trickles its header, the other a body it announced.
    auto header = std::async(std::launch::async, [&] {
        return cut_while_trickling(
            bus.port(), "POST /v1/documents HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: ", pad);
    });
    auto body = std::async(std::launch::async, [&] {
        return cut_while_trickling(
            bus.port(),
            "POST /v1/documents HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                test::token_of(commune1) +
                "\r\nContent-Type: application/xml\r\nContent-Length: 5000\r\n\r\n<edXML>",
            pad);
    });
    district_is_served(bus.port());
    CHECK(header.get());
    CHECK(body.get());
    district_is_served(bus.port(), test::province, "edoc-circular-fanout.edxml");
}

TEST_CASE("front door: an agency over its request rate gets 429 - another agency does not",
          "[security]") {
    test::bus_process bus(test::test_config(
        test::test_amqp_port(), "limits:\n  requests_per_minute: 1\n  request_burst: 3\n"));
    for (int i = 0; i < 3; ++i) {
        CHECK(test::post_document(bus.port(), test::token_of(commune1), "<x/>").status == 400);
    }
    auto limited = test::post_document(bus.port(), test::token_of(commune1), "<x/>");
    CHECK(limited.status == 429);
    CHECK(type_of(limited) == "rate-limited");
    REQUIRE(limited.headers.count("retry-after") == 1);
    CHECK(std::stoi(limited.headers.at("retry-after")) >= 1);
    district_is_served(bus.port());
    CHECK(test::post_document(bus.port(), test::token_of(commune1), "<x/>").status == 429);
}

TEST_CASE("front door: connections beyond max_connections are closed at once", "[security]") {
    test::bus_process bus(
        test::test_config(test::test_amqp_port(), "limits:\n  max_connections: 2\n"));
    {
        // Two idle clients hold both slots (well within the header timeout).
        raw_connection a(bus.port());
        raw_connection b(bus.port());
        CHECK_THROWS(test::http_call(bus.port(), "GET", "/healthz"));
        CHECK(logged(bus, "\"event\":\"http.connection_refused\""));
    }
    // Once they leave, their slots serve again (the bus notices the close asynchronously).
    int status = 0;
    for (int i = 0; i < 100 && status != 200; ++i) {
        try {
            status = test::http_call(bus.port(), "GET", "/healthz").status;
        } catch (const std::exception&) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
    CHECK(status == 200);
}
