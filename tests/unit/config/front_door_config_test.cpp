// Config of the front door: TLS unless plain HTTP is asked for, limits, admin tokens.
#include <catch2/catch.hpp>
#include <fstream>

#include "config/config.hpp"
#include "support/bus_process.hpp"
#include "unit/config/config_test_support.hpp"

using namespace lienthong;
using test::errors_of;
using test::has_error;
using test::write_config;

namespace {

/// The test config with its plain_http line removed (no TLS either).
std::string without_plain_http(std::string text) {
    const std::string line = "  plain_http: true\n";
    text.erase(text.find(line), line.size());
    return text;
}

}  // namespace

TEST_CASE("config: TLS unless listen.plain_http says otherwise", "[unit]") {
    SECTION("the TLS test config loads with mutual TLS") {
        const auto c = bus::config::load_config(write_config(test::test_config(5999, "", true)));
        CHECK_FALSE(c.listen.plain_http);
        CHECK(c.tls.certificate.ends_with("/tls/server.pem"));
        CHECK(c.tls.client_ca.ends_with("/tls/client-ca.pem"));
        CHECK(c.admin_tokens.size() == 1);
        CHECK(c.admin_tokens[0].name == "test-admin");
    }
    SECTION("neither tls nor plain_http is an error, not a silent clear-text listener") {
        auto e = errors_of(without_plain_http(test::test_config(5999)));
        CHECK(has_error(e, "tls: is required"));
    }
    SECTION("both is an error") {
        auto e = errors_of(test::test_config(5999) +
                           "tls:\n  certificate: a.pem\n  private_key: b.pem\n");
        CHECK(has_error(e, "tls: must be absent when listen.plain_http is true"));
    }
    SECTION("missing files and keys are named") {
        auto e = errors_of(without_plain_http(test::test_config(5999)) +
                           "tls:\n  certificate: /nonexistent/server.pem\n  client_ca: ca.pem\n"
                           "  cipher: x\n");
        CHECK(has_error(e, "tls.certificate: file '/nonexistent/server.pem' does not exist"));
        CHECK(has_error(e, "tls.private_key: is required"));
        CHECK(has_error(e, "tls.client_ca: file"));
        CHECK(has_error(e, "tls.cipher: unknown key"));
    }
}

TEST_CASE("config: front-door limits and admin tokens", "[unit]") {
    SECTION("defaults are safe: rate limit on, bounded connections and timeouts") {
        const auto c = bus::config::load_config(write_config(test::test_config(5999)));
        CHECK(c.limits.requests_per_minute > 0);
        CHECK(c.limits.max_connections > 0);
        CHECK(c.limits.header_timeout_ms <= c.limits.read_timeout_ms);
    }
    SECTION("every limit is configurable and range-checked") {
        const auto c = bus::config::load_config(write_config(
            test::test_config(5999,
                              "limits:\n  header_timeout_ms: 250\n  max_connections: 7\n"
                              "  requests_per_minute: 0\n  request_burst: 9\n"
                              "  max_header_bytes: 4096\n")));
        CHECK(c.limits.header_timeout_ms == 250);
        CHECK(c.limits.max_connections == 7);
        CHECK(c.limits.requests_per_minute == 0);
        CHECK(c.limits.request_burst == 9);
        CHECK(c.limits.max_header_bytes == 4096);
        auto e = errors_of(test::test_config(
            5999, "limits:\n  header_timeout_ms: 1\n  max_connections: 0\n  request_burst: -1\n"));
        CHECK(has_error(e, "limits.header_timeout_ms: must be an integer in 100.."));
        CHECK(has_error(e, "limits.max_connections: must be an integer in 1.."));
        CHECK(has_error(e, "limits.request_burst: must be an integer in 1.."));
    }
    SECTION("an admin token needs a name and a SHA-256") {
        std::string text = test::test_config(5999);
        const std::string anchor = "  admin_tokens:\n";
        text.insert(text.find(anchor) + anchor.size(), "    - sha256: abc\n");
        auto e = errors_of(text);
        CHECK(has_error(e, "auth.admin_tokens[0].name: is required"));
        CHECK(has_error(e, "auth.admin_tokens[0].sha256: must be the lowercase hex SHA-256"));
    }
}

TEST_CASE("config: the body limit must fit in one broker message", "[unit]") {
    // The test config with `line` added to its broker section and `tail` appended.
    const auto with = [](const std::string& line, const std::string& tail) {
        std::string text = test::test_config(5999);
        const std::string anchor = "  reconnect_max_ms: 500\n";
        text.insert(text.find(anchor) + anchor.size(), line);
        return text + tail;
    };
    SECTION("the default broker limit is RabbitMQ's default max_message_size, 128 MiB") {
        const auto c = bus::config::load_config(write_config(with("", "")));
        CHECK(c.broker.max_message_bytes == 128u * 1024 * 1024);
        CHECK(c.limits.max_body_bytes <= c.broker.max_message_bytes);
    }
    SECTION("a body limit above broker.max_message_bytes is refused at start-up, naming both") {
        auto e = errors_of(
            with("  max_message_bytes: 1048576\n", "limits:\n  max_body_bytes: 1048577\n"));
        CHECK(has_error(e,
                        "limits.max_body_bytes: 1048577 is above broker.max_message_bytes "
                        "(1048576): the broker would refuse such a packet"));
    }
    SECTION("a body limit equal to it loads") {
        const auto c = bus::config::load_config(write_config(
            with("  max_message_bytes: 1048576\n", "limits:\n  max_body_bytes: 1048576\n")));
        CHECK(c.broker.max_message_bytes == 1048576);
    }
    SECTION("out of RabbitMQ's range is refused") {
        auto e = errors_of(with("  max_message_bytes: 536870913\n", ""));
        CHECK(has_error(e, "broker.max_message_bytes:"));
    }
}
