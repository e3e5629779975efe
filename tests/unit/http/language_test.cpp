#include "http/language.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "http/authenticator.hpp"
#include "http/problem.hpp"
#include "http/problem_titles.hpp"
#include "http/router.hpp"

using namespace lienthong;
using namespace lienthong::bus::http;

TEST_CASE("language: Accept-Language picks Vietnamese or English by q-value", "[unit]") {
    CHECK(preferred_language("") == language::en);
    CHECK(preferred_language("vi") == language::vi);
    CHECK(preferred_language("vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7") == language::vi);
    CHECK(preferred_language("en-US,en;q=0.9,vi;q=0.8") == language::en);
    CHECK(preferred_language("en;q=0.5, vi;q=0.8") == language::vi);
    CHECK(preferred_language("VI-vn") == language::vi);
    CHECK(preferred_language("fr-FR, vi;q=0.3") == language::vi);
    CHECK(preferred_language("fr-FR,de") == language::en);
    CHECK(preferred_language("vi;q=0") == language::en);        // q=0: not acceptable
    CHECK(preferred_language("vi;q=abc, en") == language::en);  // a malformed q is ignored
    CHECK(preferred_language("vie") == language::en);           // not a "vi" range
    CHECK(preferred_language("*;q=0.9, vi;q=0.95") == language::vi);
    CHECK(preferred_language("vi;q=0.5, en;q=0.5") == language::vi);  // tie: the first wins
    CHECK(language_tag(language::vi) == "vi");
}

TEST_CASE("language: every problem type has an English and a Vietnamese title", "[unit]") {
    std::set<std::string> vietnamese;
    for (int i = 0; i < core::errc_count; ++i) {
        const auto code = static_cast<core::errc>(i);
        INFO(core::type_slug(code));
        CHECK(core::errc_of_slug(core::type_slug(code)) == code);
        const auto en = problem_title(code, language::en);
        const auto vi = problem_title(code, language::vi);
        CHECK_FALSE(en.empty());
        CHECK_FALSE(vi.empty());
        CHECK(en != vi);
        vietnamese.insert(std::string(vi));
    }
    // One title per type: none was copied from a neighbour.
    CHECK(vietnamese.size() == static_cast<std::size_t>(core::errc_count));
    CHECK_FALSE(core::errc_of_slug("no-such-type"));
}

TEST_CASE("language: problem+json titles follow Accept-Language - the type stays", "[unit]") {
    bus::routing::directory directory{{}};
    authenticator auth{{}, {}, directory};
    rate_limiter limiter{0, 1};
    router r{auth, limiter, 1000};
    r.add({beast_http::verb::get, "/v1/thing", role::none, "",
           [](request&& req, const caller&, responder respond) {
               respond(make_problem(core::fail(core::errc::unknown_recipient, "no such agency"),
                                    req.version(), true));
           }});
    auto call = [&](const std::string& target, const std::string& accept) {
        request req{beast_http::verb::get, target, 11};
        if (!accept.empty()) {
            req.set(beast_http::field::accept_language, accept);
        }
        response out;
        r.serve(req, [&](response&& res) { out = std::move(res); });
        return out;
    };
    SECTION("a handler's problem") {
        const auto vi = call("/v1/thing", "vi-VN,vi;q=0.9,en;q=0.8");
        const auto body = boost::json::parse(vi.body()).as_object();
        CHECK(body.at("type") == "unknown-recipient");
        CHECK(body.at("title") == "Đơn vị nhận không có trong danh bạ");
        CHECK(body.at("detail") == "no such agency");
        CHECK(vi[beast_http::field::content_language] == "vi");
        const auto en = boost::json::parse(call("/v1/thing", "en, vi;q=0.5").body()).as_object();
        CHECK(en.at("type") == "unknown-recipient");
        CHECK(en.at("title") == "Unprocessable Entity");
        const auto none_reply = call("/v1/thing", "");
        const auto none = boost::json::parse(none_reply.body()).as_object();
        CHECK(none.at("title") == "Unprocessable Entity");
        // English answers vary by language too, so a cache never serves them to a vi client.
        CHECK(none_reply[beast_http::field::vary] == "Accept-Language");
        CHECK(vi[beast_http::field::vary] == "Accept-Language");
    }
    SECTION("the router's own refusal") {
        const auto body = boost::json::parse(call("/v1/nothing", "vi").body()).as_object();
        CHECK(body.at("type") == "not-found");
        CHECK(body.at("title") == "Không tìm thấy");
    }
}
