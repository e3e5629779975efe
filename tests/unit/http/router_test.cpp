#include "http/router.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "crypto/digest.hpp"
#include "http/authenticator.hpp"
#include "http/problem.hpp"

using namespace lienthong;
using namespace lienthong::bus::http;

namespace {

struct fixture {
    bus::routing::directory directory{{}};  // agencies by bearer token only
    authenticator auth{{{"000.01.01.H41", bus::crypto::sha256_hex("secret-1")}}, {}, directory};
    rate_limiter limiter{0, 1};
    router r{auth, limiter, 1000};
    std::string seen_agency;
    int calls = 0;

    fixture() {
        r.add({beast_http::verb::post, "/v1/documents", role::agency, "application/xml",
               [this](request&& req, const caller& who, responder respond) {
                   ++calls;
                   seen_agency = who.agency;
                   respond(make_json(beast_http::status::accepted, "{}", req.version(), true));
               }});
    }

    response call(beast_http::verb method, const std::string& target,
                  std::vector<std::pair<std::string, std::string>> headers,
                  std::string body = "<x/>") {
        request req{method, target, 11};
        for (auto& [k, v] : headers) {
            req.set(k, v);
        }
        req.body() = std::move(body);
        req.prepare_payload();
        response out;
        r.serve(req, [&](response&& res) { out = std::move(res); });
        return out;
    }
};

boost::json::object problem_of(const response& res) {
    REQUIRE(res[beast_http::field::content_type] == "application/problem+json");
    return boost::json::parse(res.body()).as_object();
}

}  // namespace

TEST_CASE("http router: the header decides before the handler runs", "[unit]") {
    fixture f;
    const std::pair<std::string, std::string> auth{"Authorization", "Bearer secret-1"};
    const std::pair<std::string, std::string> xml{"Content-Type", "application/xml; charset=utf-8"};

    SECTION("an authenticated, well-typed request reaches the handler as its agency") {
        auto res = f.call(beast_http::verb::post, "/v1/documents", {auth, xml});
        CHECK(res.result_int() == 202);
        CHECK(f.seen_agency == "000.01.01.H41");
    }
    SECTION("401 without a token or with an unknown one") {
        for (auto h : {std::vector{xml}, std::vector{xml, {"Authorization", "Bearer nope"}},
                       std::vector{xml, {"Authorization", "Basic c2VjcmV0LTE="}}}) {
            auto res = f.call(beast_http::verb::post, "/v1/documents", h);
            CHECK(res.result_int() == 401);
            CHECK(problem_of(res)["type"] == "unauthenticated");
            CHECK(res[beast_http::field::www_authenticate].starts_with("Bearer"));
        }
        CHECK(f.calls == 0);
    }
    SECTION("415 names Content-Type") {
        auto res =
            f.call(beast_http::verb::post, "/v1/documents", {auth, {"Content-Type", "text/plain"}});
        CHECK(res.result_int() == 415);
        CHECK(problem_of(res)["field"] == "Content-Type");
        CHECK(f.calls == 0);
    }
    SECTION("413 from Content-Length alone") {
        auto res =
            f.call(beast_http::verb::post, "/v1/documents", {auth, xml}, std::string(1001, 'x'));
        CHECK(res.result_int() == 413);
        CHECK(problem_of(res)["type"] == "payload-too-large");
        CHECK(f.calls == 0);
    }
    SECTION("404 and 405") {
        CHECK(f.call(beast_http::verb::post, "/v1/nothing", {auth, xml}).result_int() == 404);
        const auto wrong = f.call(beast_http::verb::get, "/v1/documents", {auth});
        CHECK(wrong.result_int() == 405);
        CHECK(wrong[beast_http::field::allow] == "POST");  // RFC 9110 section 15.5.6
    }
}

TEST_CASE("problem mapping: each error family has its HTTP status", "[unit]") {
    using core::errc;
    CHECK(http_status(errc::malformed_xml) == beast_http::status::bad_request);
    CHECK(http_status(errc::schema_invalid) == beast_http::status::bad_request);
    CHECK(http_status(errc::unsupported_encoding) == beast_http::status::bad_request);
    CHECK(core::type_slug(errc::unsupported_encoding) == "unsupported-encoding");
    CHECK(http_status(errc::signature_invalid) == beast_http::status::unprocessable_entity);
    CHECK(http_status(errc::certificate_untrusted) == beast_http::status::unprocessable_entity);
    CHECK(http_status(errc::sender_mismatch) == beast_http::status::forbidden);
    CHECK(http_status(errc::broker_unavailable) == beast_http::status::service_unavailable);

    core::failure f = core::fail(errc::schema_invalid, "2 problems", "MessageHeader");
    f.issues.push_back({12, "/edXML/x", "bad"});
    f.log_detail = "libxml2 internals";
    auto res = make_problem(f, 11, true);
    auto o = boost::json::parse(res.body()).as_object();
    CHECK(o["type"] == "schema-invalid");
    CHECK(o["status"] == 400);
    CHECK(o["field"] == "MessageHeader");
    CHECK(o["errors"].as_array()[0].as_object()["line"] == 12);
    CHECK(res.body().find("libxml2 internals") == std::string::npos);
}

TEST_CASE("http router: path segments are percent-decoded - a DocumentId's slash comes as %2F",
          "[unit]") {
    CHECK(percent_decode("000.00.00.G22%2C2025%2F03%2F14%2C1234%2FVPCP-KGVX") ==
          "000.00.00.G22,2025/03/14,1234/VPCP-KGVX");
    CHECK(percent_decode("plain-id") == "plain-id");
    CHECK(percent_decode("%e1%BB%87") == "\xe1\xbb\x87");  // either case of hex digits
    CHECK_FALSE(percent_decode("bad%2").has_value());      // truncated escape
    CHECK_FALSE(percent_decode("bad%zz").has_value());     // not hex
    CHECK_FALSE(percent_decode("%").has_value());
}
