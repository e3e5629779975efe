// The http_webhook factory half: valid settings build, each invalid one is named with its path.
#include <algorithm>
#include <catch2/catch.hpp>

#include "adapters/common/http_client.hpp"
#include "adapters/http_webhook/config.hpp"
#include "adapters/http_webhook/http_webhook_adapter.hpp"

using namespace lienthong::adapters;

namespace {

std::vector<std::string> errors_of(const settings& s) {
    std::vector<std::string> e;
    http_webhook::factory{}.validate(s, "agencies[1].subscriptions[0].settings", e);
    return e;
}

bool has(const std::vector<std::string>& errors, const std::string& prefix) {
    return std::any_of(errors.begin(), errors.end(),
                       [&](const std::string& e) { return e.rfind(prefix, 0) == 0; });
}

}  // namespace

TEST_CASE("http_webhook config: a valid section builds an adapter", "[unit]") {
    const settings s{{"url", "https://vpdt.example.vn:8443/lienthong/in"}, {"timeout_ms", "2500"}};
    CHECK(errors_of(s).empty());
    const auto c = http_webhook::factory::parse(s);
    CHECK(c.url == "https://vpdt.example.vn:8443/lienthong/in");
    CHECK(c.timeout == std::chrono::milliseconds(2500));
    CHECK(http_webhook::factory{}.create(s) != nullptr);
}

TEST_CASE("http_webhook config: each invalid setting is reported with its path", "[unit]") {
    const std::string p = "agencies[1].subscriptions[0].settings";
    CHECK(has(errors_of({}), p + ".url: is required"));
    CHECK(has(errors_of({{"url", "ftp://x/"}}), p + ".url: 'ftp://x/' must start with http"));
    CHECK(has(errors_of({{"url", "http://x:99999/"}}),
              p + ".url: 'http://x:99999/' has an invalid port"));
    CHECK(has(errors_of({{"url", "http://x/"}, {"timeout_ms", "10"}}), p + ".timeout_ms: must be"));
    CHECK(has(errors_of({{"url", "http://x/"}, {"timeout_ms", "1s"}}), p + ".timeout_ms: must be"));
    CHECK(
        has(errors_of({{"url", "http://x/"}, {"colour", "red"}}), p + ".colour: unknown setting"));
    CHECK(has(errors_of({{"url", "http://x/"}, {"ca_file", "/nonexistent.pem"}}),
              p + ".ca_file: file '/nonexistent.pem' does not exist"));
    CHECK(has(errors_of({{"url", "http://x/"}, {"client_cert", "/etc/hostname"}}),
              p + ".client_cert: client_cert and client_key go together"));
}

TEST_CASE("http_webhook: HTTP statuses map to delivered - retryable or permanent", "[unit]") {
    using a = http_webhook::http_webhook_adapter;
    for (int s : {200, 201, 202, 204}) {
        CHECK(a::classify(s) == outcome::delivered);
    }
    for (int s : {408, 429, 500, 502, 503, 504}) {
        CHECK(a::classify(s) == outcome::retryable_failure);
    }
    for (int s : {301, 400, 401, 403, 404, 409, 413, 422}) {
        CHECK(a::classify(s) == outcome::permanent_failure);
    }
}

TEST_CASE("http client: URLs are split into scheme - host - port and target", "[unit]") {
    auto u = common::parse_url("https://[::1]:8443/a/b?c=d#frag");
    REQUIRE(u.ok);
    CHECK(u.https);
    CHECK(u.host == "::1");
    CHECK(u.port == "8443");
    CHECK(u.target == "/a/b?c=d");
    auto plain = common::parse_url("http://127.0.0.1");
    REQUIRE(plain.ok);
    CHECK(plain.port == "80");
    CHECK(plain.target == "/");
    CHECK_FALSE(common::parse_url("http://user:pw@host/").ok);
    CHECK_FALSE(common::parse_url("http:///path").ok);
}
