// The front door without a network: who a caller is (tokens, admin tokens, client certificates),
// what each endpoint role admits, the per-agency rate limit and the authorization helpers.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "crypto/digest.hpp"
#include "http/authenticator.hpp"
#include "http/problem.hpp"
#include "http/rate_limiter.hpp"
#include "http/router.hpp"

using namespace lienthong;
using namespace lienthong::bus::http;

namespace {

const std::string commune = "000.01.01.H41";
const std::string district = "000.00.01.H41";
const std::string fingerprint(64, 'a');

bus::routing::directory test_directory() {
    bus::routing::agency c;
    c.code = commune;
    c.parent = district;
    bus::routing::agency d;
    d.code = district;
    d.level = bus::routing::agency_level::district;
    d.fingerprints = {fingerprint};
    return bus::routing::directory({d, c});
}

struct fixture {
    bus::routing::directory directory = test_directory();
    authenticator auth{{{commune, bus::crypto::sha256_hex("commune-token")},
                        {district, bus::crypto::sha256_hex("district-token")}},
                       {{"ops", bus::crypto::sha256_hex("admin-token")}},
                       directory};
    rate_limiter limiter;
    router r;
    std::vector<caller> seen;

    explicit fixture(int per_minute = 0, int burst = 1)
        : limiter(per_minute, burst), r(auth, limiter, 1000) {
        auto record = [this](request&& req, const caller& who, responder respond) {
            seen.push_back(who);
            respond(make_json(beast_http::status::ok, "{}", req.version(), true));
        };
        r.add({beast_http::verb::get, "/v1/inbox", role::agency, "", record});
        r.add({beast_http::verb::get, "/v1/admin/agencies", role::admin, "", record});
        r.add({beast_http::verb::get, "/healthz", role::none, "", record});
    }

    response get(const std::string& target, const std::string& token,
                 const connection_info& connection = {}) {
        request req{beast_http::verb::get, target, 11};
        if (!token.empty()) {
            req.set(beast_http::field::authorization, "Bearer " + token);
        }
        response out;
        r.serve(
            req, [&](response&& res) { out = std::move(res); }, connection);
        return out;
    }
};

std::string type_of(const response& res) {
    return std::string(boost::json::parse(res.body()).as_object()["type"].as_string());
}

connection_info with_certificate(const std::string& uid, const std::string& fp = "00") {
    return connection_info{client_certificate{"UID=" + uid, uid, fp}};
}

}  // namespace

TEST_CASE("authenticator: tokens - admin tokens and client certificates name the caller",
          "[unit]") {
    fixture f;
    SECTION("an agency token and an admin token") {
        auto a = f.auth.identify("Bearer commune-token", {});
        REQUIRE(a);
        CHECK(a->kind == role::agency);
        CHECK(a->agency == commune);
        auto admin = f.auth.identify("Bearer admin-token", {});
        REQUIRE(admin);
        CHECK(admin->kind == role::admin);
        CHECK(admin->admin == "ops");
        CHECK(admin->agency.empty());
    }
    SECTION("no credentials is nobody; a bad token or scheme is an error, never nobody") {
        auto none = f.auth.identify("", {});
        REQUIRE(none);
        CHECK(none->kind == role::none);
        for (auto h : {"Bearer nope", "Basic Y29tbXVuZS10b2tlbg==", "Bearer "}) {
            auto bad = f.auth.identify(h, {});
            REQUIRE_FALSE(bad);
            CHECK(bad.error().code == core::errc::unauthenticated);
        }
    }
    SECTION("a verified certificate: by subject UID, or by a fingerprint listed in the directory") {
        auto by_uid = f.auth.identify("", with_certificate(commune));
        REQUIRE(by_uid);
        CHECK(by_uid->kind == role::agency);
        CHECK(by_uid->agency == commune);
        auto by_fp = f.auth.identify("", with_certificate("not-an-agency", fingerprint));
        REQUIRE(by_fp);
        CHECK(by_fp->agency == district);
        auto unknown = f.auth.identify("", with_certificate("000.99.99.H41"));
        REQUIRE(unknown);
        CHECK(unknown->kind == role::none);
    }
    SECTION("certificate and token must name the same agency") {
        auto same = f.auth.identify("Bearer commune-token", with_certificate(commune));
        REQUIRE(same);
        CHECK(same->agency == commune);
        for (auto h : {"Bearer district-token", "Bearer admin-token"}) {
            auto other = f.auth.identify(h, with_certificate(commune));
            REQUIRE_FALSE(other);
            CHECK(other.error().code == core::errc::unauthenticated);
        }
    }
}

TEST_CASE("router: each endpoint admits only its role", "[unit]") {
    fixture f;
    SECTION("agency endpoints: 401 without credentials, 403 for an admin, the agency otherwise") {
        CHECK(f.get("/v1/inbox", "").result_int() == 401);
        auto admin = f.get("/v1/inbox", "admin-token");
        CHECK(admin.result_int() == 403);
        CHECK(type_of(admin) == "forbidden");
        CHECK(f.seen.empty());
        CHECK(f.get("/v1/inbox", "commune-token").result_int() == 200);
        CHECK(f.get("/v1/inbox", "", with_certificate(commune)).result_int() == 200);
        REQUIRE(f.seen.size() == 2);
        CHECK(f.seen[0].agency == commune);
        CHECK(f.seen[1].agency == commune);
    }
    SECTION("admin endpoints: 401 without credentials, 403 for an agency (token or certificate)") {
        CHECK(f.get("/v1/admin/agencies", "").result_int() == 401);
        auto agency = f.get("/v1/admin/agencies", "commune-token");
        CHECK(agency.result_int() == 403);
        CHECK(type_of(agency) == "forbidden");
        CHECK(f.get("/v1/admin/agencies", "", with_certificate(commune)).result_int() == 403);
        CHECK(f.seen.empty());
        CHECK(f.get("/v1/admin/agencies", "admin-token").result_int() == 200);
        REQUIRE(f.seen.size() == 1);
        CHECK(f.seen[0].kind == role::admin);
    }
    SECTION("anonymous endpoints ignore credentials, even bad ones") {
        CHECK(f.get("/healthz", "nope").result_int() == 200);
    }
}

TEST_CASE("router: an agency over its rate gets 429 with Retry-After - others go on", "[unit]") {
    fixture f(/*per_minute=*/1, /*burst=*/2);
    CHECK(f.get("/v1/inbox", "commune-token").result_int() == 200);
    CHECK(f.get("/v1/inbox", "commune-token").result_int() == 200);
    auto limited = f.get("/v1/inbox", "commune-token");
    CHECK(limited.result_int() == 429);
    CHECK(type_of(limited) == "rate-limited");
    const int retry = std::stoi(std::string(limited[beast_http::field::retry_after]));
    CHECK(retry >= 1);
    CHECK(retry <= 60);
    CHECK(f.seen.size() == 2);
    CHECK(f.get("/v1/inbox", "district-token").result_int() == 200);
}

TEST_CASE("rate limiter: a token bucket per key", "[unit]") {
    using namespace std::chrono_literals;
    const auto t0 = rate_limiter::clock::time_point{} + 1h;
    rate_limiter l(60, 3);  // one per second, burst of three
    SECTION("the burst passes, then the wait until the next request is the Retry-After") {
        CHECK(l.acquire("a", t0) == 0);
        CHECK(l.acquire("a", t0) == 0);
        CHECK(l.acquire("a", t0) == 0);
        CHECK(l.acquire("a", t0) == 1);
        CHECK(l.acquire("a", t0 + 500ms) == 1);
        CHECK(l.acquire("a", t0 + 1s) == 0);
        CHECK(l.acquire("a", t0 + 1s) == 1);
    }
    SECTION("refill stops at the burst") {
        CHECK(l.acquire("a", t0) == 0);
        for (int i = 0; i < 3; ++i) {
            CHECK(l.acquire("a", t0 + 1h) == 0);
        }
        CHECK(l.acquire("a", t0 + 1h) != 0);
    }
    SECTION("keys do not share a bucket") {
        for (int i = 0; i < 3; ++i) {
            CHECK(l.acquire("a", t0) == 0);
        }
        CHECK(l.acquire("a", t0) != 0);
        CHECK(l.acquire("b", t0) == 0);
    }
    SECTION("0 per minute is no limit") {
        rate_limiter off(0, 1);
        for (int i = 0; i < 1000; ++i) {
            REQUIRE(off.acquire("a", t0) == 0);
        }
    }
    SECTION("a slow rate waits the whole seconds") {
        rate_limiter slow(2, 1);  // one per 30 s
        CHECK(slow.acquire("a", t0) == 0);
        CHECK(slow.acquire("a", t0) == 30);
        CHECK(slow.acquire("a", t0 + 20s) == 10);
    }
}

TEST_CASE("authorization helpers: only the agency concerned - never an admin", "[unit]") {
    const caller c{role::agency, commune, {}};
    const caller d{role::agency, district, {}};
    const caller admin{role::admin, {}, "ops"};
    CHECK(require_agency(c, commune, "read this inbox"));
    auto other = require_agency(d, commune, "read this inbox");
    REQUIRE_FALSE(other);
    CHECK(other.error().code == core::errc::forbidden);
    CHECK(other.error().message == "only 000.01.01.H41 may read this inbox");
    CHECK_FALSE(require_agency(admin, commune, "read this inbox"));
    CHECK(require_one_of(d, {commune, district}, "read this journey"));
    CHECK_FALSE(require_one_of(c, {district}, "read this journey"));
    CHECK_FALSE(require_one_of(admin, {commune, district}, "read this journey"));
    CHECK(http_status(core::errc::forbidden) == beast_http::status::forbidden);
}
