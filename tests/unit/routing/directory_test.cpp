#include <catch2/catch.hpp>

#include <fstream>

#include "config/config.hpp"
#include "routing/directory.hpp"
#include "routing/router.hpp"
#include "support/bus_process.hpp"

using namespace lienthong;

namespace {

std::vector<std::string> directory_errors(const std::string& text) {
    const auto path = test::make_temp_dir("lienthong-dir") + "/agencies.yaml";
    std::ofstream(path) << text;
    try {
        bus::routing::directory::load(path);
    } catch (const bus::config::config_error& e) {
        return e.errors();
    }
    return {};
}

bus::xml::edoc_header header_to(std::initializer_list<const char*> to) {
    bus::xml::edoc_header h;
    h.from.organ_id = test::commune1;
    for (auto t : to) {
        h.to.push_back({t, ""});
    }
    return h;
}

}  // namespace

TEST_CASE("directory: the demo directory loads", "[unit]") {
    auto dir = bus::routing::directory::load(LIENTHONG_SOURCE_DIR "/deploy/config/agencies.yaml");
    CHECK(dir.agencies().size() == 6);
    REQUIRE(dir.find(test::commune1) != nullptr);
    CHECK(dir.find(test::commune1)->parent == test::district1);
    CHECK(dir.find(test::province)->level == bus::routing::agency_level::province);
    CHECK(dir.find("000.00.00.H42") == nullptr);
}

TEST_CASE("directory: invalid entries are reported with their paths", "[unit]") {
    auto e = directory_errors(
        "agencies:\n"
        "  - {code: 000.00.00.H41, name: P, level: province}\n"
        "  - {code: 000.00.00.H41, name: Dup, level: district}\n"
        "  - {code: 'not a code', name: X, level: hamlet, parent: 000.00.09.H41, colour: red}\n");
    CHECK(std::find(e.begin(), e.end(), "agencies[1].code: duplicate of agencies[0]") != e.end());
    auto has = [&](const std::string& prefix) {
        return std::any_of(e.begin(), e.end(),
                           [&](const std::string& s) { return s.rfind(prefix, 0) == 0; });
    };
    CHECK(has("agencies[2].code: 'not a code' is not a valid OrganId"));
    CHECK(has("agencies[2].level: must be one of"));
    CHECK(has("agencies[2].colour: unknown key"));
    CHECK(has("agencies[2].parent: '000.00.09.H41' is not an agency"));
}

TEST_CASE("routing: one route per distinct addressee; unknown addressees are refused", "[unit]") {
    auto dir = bus::routing::directory::load(LIENTHONG_SOURCE_DIR "/deploy/config/agencies.yaml");
    SECTION("fan-out keeps document order and collapses duplicates") {
        auto r = bus::routing::plan_routes(header_to({test::district2, test::district1,
                                                      test::district2}),
                                           dir);
        REQUIRE(r);
        REQUIRE(r->size() == 2);
        CHECK((*r)[0].recipient == test::district2);
        CHECK((*r)[1].recipient == test::district1);
        CHECK((*r)[1].routing_key == bus::routing::route_key(test::district1));
    }
    SECTION("an addressee outside the directory is named") {
        auto r = bus::routing::plan_routes(header_to({test::district1, "000.00.00.G22"}), dir);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == core::errc::unknown_recipient);
        CHECK(r.error().message.find("000.00.00.G22") != std::string::npos);
    }
    SECTION("the topology has one durable queue per agency") {
        auto t = bus::routing::make_topology("ex", dir);
        CHECK(t.queues.size() == 6);
        CHECK(t.queues[0].queue == bus::routing::route_queue(test::province));
    }
}

TEST_CASE("directory: fingerprints are normalised and subscriptions keep their settings",
          "[unit]") {
    const auto path = test::make_temp_dir("lienthong-dir") + "/agencies.yaml";
    std::ofstream(path) << "agencies:\n"
                           "  - code: 000.00.00.H41\n    name: P\n    level: province\n"
                           "    fingerprints: ['" + std::string(32, 'A') + ":" +
                               std::string(32, 'b') + "']\n"
                           "    subscriptions:\n"
                           "      - type: http_webhook\n"
                           "        settings: {url: 'http://127.0.0.1:9/in', timeout_ms: 500}\n";
    auto dir = bus::routing::directory::load(path);
    const auto* a = dir.find("000.00.00.H41");
    REQUIRE(a);
    CHECK(a->fingerprints == std::vector<std::string>{std::string(32, 'a') + std::string(32, 'b')});
    REQUIRE(a->subscriptions.size() == 1);
    CHECK(a->subscriptions[0].type == "http_webhook");
    CHECK(a->subscriptions[0].settings.at("timeout_ms") == "500");

    auto e = directory_errors("agencies:\n  - {code: 000.00.00.H41, name: P, level: province,"
                              " fingerprints: [abc], subscriptions: [{settings: [1]}]}\n");
    auto has = [&](const std::string& prefix) {
        return std::any_of(e.begin(), e.end(),
                           [&](const std::string& s) { return s.rfind(prefix, 0) == 0; });
    };
    CHECK(has("agencies[0].fingerprints: 'abc' is not a SHA-256 fingerprint"));
    CHECK(has("agencies[0].subscriptions[0].type: is required"));
    CHECK(has("agencies[0].subscriptions[0].settings: must be a mapping"));
}
