#include "adapters/common/http_client.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "support/loopback_http_server.hpp"

namespace {

namespace common = lienthong::adapters::common;
namespace test = lienthong::test;

}  // namespace

TEST_CASE("http_client reaches a server by IP address or by host name", "[unit]") {
    test::loopback_http_server server([](const test::loopback_request& req) {
        test::loopback_response res{boost::beast::http::status::ok, req.version()};
        res.body() = std::string(req.target()) + " " + req.body();
        return res;
    });
    const std::string port = std::to_string(server.port());
    for (const std::string host : {"127.0.0.1", "localhost"}) {
        INFO(host);
        common::http_request req;
        req.url = "http://" + host + ":" + port + "/hook";
        req.body = std::make_shared<const std::string>("packet");
        req.timeout = std::chrono::milliseconds(5000);
        const auto res = common::send(req);
        REQUIRE(res.ok());
        CHECK(res.status == 200);
        CHECK(res.body == "/hook packet");
    }
    common::http_request unknown;
    unknown.url = "http://no-such-host.invalid:" + port + "/";
    unknown.timeout = std::chrono::milliseconds(2000);
    const auto failed = common::send(unknown);
    CHECK(failed.status == 0);
    // "cannot resolve ..." or, where DNS is unreachable, "timed out resolving ...".
    CHECK(failed.error.find("resolv") != std::string::npos);
    CHECK(failed.error.find("no-such-host.invalid") != std::string::npos);
}
