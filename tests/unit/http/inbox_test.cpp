// The pull inbox: the `inbox` adapter fills it, /v1/inbox serves it, scoped to the caller.
#include "http/handlers/inbox.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <filesystem>

#include "crypto/digest.hpp"
#include "http/authenticator.hpp"
#include "http/problem.hpp"
#include "http/router.hpp"
#include "inbox/inbox_adapter.hpp"
#include "store/sqlite_inbox_storage.hpp"
#include "support/bus_process.hpp"

using namespace lienthong;
using namespace lienthong::bus::http;

namespace {

struct fixture {
    std::string dir = test::make_temp_dir("lienthong-inbox");
    std::shared_ptr<bus::inbox::inbox_store> store = std::make_shared<bus::inbox::inbox_store>(
        std::make_unique<bus::store::sqlite_inbox_storage>(dir + "/bus.db"));
    bus::routing::directory directory{{{test::commune1, "Commune", {}, {}, {}, {}},
                                       {test::district1, "District", {}, {}, {}, {}}}};
    authenticator auth{{{test::commune1, bus::crypto::sha256_hex("t-commune")},
                        {test::district1, bus::crypto::sha256_hex("t-district")}},
                       {},
                       directory};
    rate_limiter limiter{0, 1};
    router r{auth, limiter, 1 << 20};
    std::unique_ptr<adapters::adapter> adapter = bus::inbox::factory(store).create({});

    fixture() {
        for (auto& e : handlers::inbox(*store)) {
            r.add(std::move(e));
        }
    }
    ~fixture() { std::filesystem::remove_all(dir); }

    response call(beast_http::verb method, const std::string& target, const std::string& token) {
        request req{method, target, 11};
        if (!token.empty()) {
            req.set(beast_http::field::authorization, "Bearer " + token);
        }
        req.prepare_payload();
        response out;
        r.serve(req, [&](response&& res) { out = std::move(res); });
        return out;
    }

    adapters::delivery_result deliver(const std::string& id, const std::string& recipient,
                                      const std::string& packet) {
        adapters::delivery d{id,
                             "DOC-" + id,
                             test::province,
                             {recipient},
                             std::make_shared<const std::string>(packet)};
        return adapter->deliver(d);
    }

    std::vector<std::string> listed_ids(const std::string& token) {
        auto res = call(beast_http::verb::get, "/v1/inbox", token);
        REQUIRE(res.result() == beast_http::status::ok);
        std::vector<std::string> ids;
        const auto body = boost::json::parse(res.body());
        for (const auto& d : body.at("documents").as_array()) {
            ids.emplace_back(d.at("id").as_string());
        }
        return ids;
    }
};

}  // namespace

TEST_CASE("inbox: an agency lists - reads and acks only its own documents", "[unit]") {
    fixture f;
    const std::string packet = "<edXML>Văn bản cho xã</edXML>";
    REQUIRE(f.deliver("id-c1", test::commune1, packet).result == adapters::outcome::delivered);
    REQUIRE(f.deliver("id-d1", test::district1, "<edXML>huyện</edXML>").result ==
            adapters::outcome::delivered);
    // The broker may redeliver: the inbox keeps one copy.
    REQUIRE(f.deliver("id-c1", test::commune1, packet).result == adapters::outcome::delivered);

    CHECK(f.listed_ids("t-commune") == std::vector<std::string>{"id-c1"});
    CHECK(f.listed_ids("t-district") == std::vector<std::string>{"id-d1"});
    auto list = boost::json::parse(f.call(beast_http::verb::get, "/v1/inbox", "t-commune").body());
    const auto& first = list.at("documents").at(0);
    CHECK(first.at("document_id").as_string() == "DOC-id-c1");
    CHECK(first.at("sender").as_string() == test::province);
    CHECK(first.at("bytes").as_int64() == static_cast<std::int64_t>(packet.size()));

    auto own = f.call(beast_http::verb::get, "/v1/inbox/id-c1", "t-commune");
    CHECK(own.result() == beast_http::status::ok);
    CHECK(own[beast_http::field::content_type] == "application/xml");
    CHECK(own.body() == packet);  // the original bytes

    SECTION("another agency can neither read nor ack it, and cannot tell it exists") {
        auto other = f.call(beast_http::verb::get, "/v1/inbox/id-c1", "t-district");
        CHECK(other.result() == beast_http::status::not_found);
        auto missing = f.call(beast_http::verb::get, "/v1/inbox/no-such-id", "t-district");
        CHECK(boost::json::parse(other.body()).at("type") ==
              boost::json::parse(missing.body()).at("type"));
        CHECK(f.call(beast_http::verb::post, "/v1/inbox/id-c1/ack", "t-district").result() ==
              beast_http::status::not_found);
        CHECK(f.listed_ids("t-commune") == std::vector<std::string>{"id-c1"});
    }
    SECTION("ack removes it for good") {
        CHECK(f.call(beast_http::verb::post, "/v1/inbox/id-c1/ack", "t-commune").result() ==
              beast_http::status::no_content);
        CHECK(f.listed_ids("t-commune").empty());
        CHECK(f.call(beast_http::verb::get, "/v1/inbox/id-c1", "t-commune").result() ==
              beast_http::status::not_found);
        CHECK(f.call(beast_http::verb::post, "/v1/inbox/id-c1/ack", "t-commune").result() ==
              beast_http::status::not_found);
        CHECK(f.listed_ids("t-district") == std::vector<std::string>{"id-d1"});
    }
    SECTION("no credentials: 401") {
        CHECK(f.call(beast_http::verb::get, "/v1/inbox", "").result() ==
              beast_http::status::unauthorized);
        CHECK(f.call(beast_http::verb::get, "/v1/inbox/id-c1", "wrong").result() ==
              beast_http::status::unauthorized);
    }
}

TEST_CASE("inbox config: the adapter takes no settings", "[unit]") {
    fixture f;
    std::vector<std::string> errors;
    bus::inbox::factory(f.store).validate({}, "agencies[0].subscriptions[0].settings", errors);
    CHECK(errors.empty());
    bus::inbox::factory(f.store).validate({{"url", "x"}}, "agencies[0].subscriptions[0].settings",
                                          errors);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].rfind("agencies[0].subscriptions[0].settings.url: unknown setting", 0) == 0);
}

TEST_CASE("inbox: the documents' signature verdicts are kept beside the packet", "[unit]") {
    const auto dir = test::make_temp_dir("lienthong-inbox");
    bus::inbox::inbox_store store(
        std::make_unique<bus::store::sqlite_inbox_storage>(dir + "/bus.db"));
    adapters::delivery d{"id-1",
                         "DOC-1",
                         test::province,
                         {test::commune1},
                         std::make_shared<const std::string>("<edXML/>"),
                         1};
    d.document_signatures = "signed=1,signed-invalid=0,unsigned=0,not-pdf=0";
    d.document_verdicts = R"([{"state":"signed"}])";
    REQUIRE(store.put(d));
    auto listed = store.list(test::commune1, 10);
    REQUIRE(listed);
    REQUIRE(listed->size() == 1);
    CHECK(listed->front().document_signatures == d.document_signatures);
    CHECK(listed->front().document_verdicts == d.document_verdicts);
    // Reopening an existing inbox keeps it (the table is created once).
    bus::inbox::inbox_store again(
        std::make_unique<bus::store::sqlite_inbox_storage>(dir + "/bus.db"));
    CHECK(again.list(test::commune1, 10)->size() == 1);
}
