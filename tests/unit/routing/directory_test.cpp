#include "routing/directory.hpp"

#include <catch2/catch.hpp>
#include <fstream>

#include "config/config.hpp"
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

TEST_CASE("routing: one route per distinct addressee - unknown addressees are refused", "[unit]") {
    auto dir = bus::routing::directory::load(LIENTHONG_SOURCE_DIR "/deploy/config/agencies.yaml");
    SECTION("fan-out keeps document order and collapses duplicates") {
        auto r = bus::routing::plan_routes(
            header_to({test::district2, test::district1, test::district2}), dir);
        REQUIRE(r);
        REQUIRE(r->size() == 2);
        CHECK((*r)[0].recipients == std::vector<std::string>{test::district2});
        CHECK((*r)[1].recipients == std::vector<std::string>{test::district1});
        // The demo directory lists no subscriptions: each agency gets its implicit inbox route.
        CHECK((*r)[1].routing_key == bus::routing::route_name(test::district1, "inbox", 0));
    }
    SECTION("an addressee outside the directory is named") {
        auto r = bus::routing::plan_routes(header_to({test::district1, "000.00.00.G22"}), dir);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == core::errc::unknown_recipient);
        CHECK(r.error().message.find("000.00.00.G22") != std::string::npos);
    }
    SECTION("an addressee outside the province goes to the national axis when configured") {
        bus::routing::directory with_axis(dir.agencies(), bus::routing::subscription{});
        auto r = bus::routing::plan_routes(
            header_to({test::district1, "000.00.00.G22", "000.00.00.G09"}), with_axis);
        REQUIRE(r);
        REQUIRE(r->size() == 2);
        CHECK((*r)[1].routing_key == bus::routing::national_axis_route);
        CHECK((*r)[1].recipients ==  // the axis gets it once, for both
              std::vector<std::string>{"000.00.00.G22", "000.00.00.G09"});
        // Any OrganId the bus can carry may exist on the axis (its directory decides); one
        // outside the OrganId bounds (is_valid_organ_id) cannot, and is refused here.
        auto bad = bus::routing::plan_routes(header_to({"not an organ id"}), with_axis);
        REQUIRE_FALSE(bad);
        CHECK(bad.error().code == core::errc::unknown_recipient);
    }
}

TEST_CASE("routing: one route and one queue per subscription - retry steps and dead letters",
          "[unit]") {
    const auto path = test::make_temp_dir("lienthong-dir") + "/agencies.yaml";
    std::ofstream(path) << "agencies:\n"
                           "  - code: 000.00.00.H41\n    name: P\n    level: province\n"
                           "    subscriptions:\n"
                           "      - {type: http_webhook, settings: {url: 'http://a/'}}\n"
                           "      - {type: http_webhook, settings: {url: 'http://b/'},"
                           " retry_schedule_ms: [1000, 7000]}\n"
                           "      - {type: directory_drop, settings: {path: /tmp}}\n"
                           "  - {code: 000.00.01.H41, name: D, level: district}\n";
    auto dir = bus::routing::directory::load(path);
    const auto routes = bus::routing::delivery_routes(dir);
    REQUIRE(routes.size() == 4);
    CHECK(routes[0].name == "000.00.00.H41.http_webhook");
    CHECK(routes[1].name == "000.00.00.H41.http_webhook.2");
    CHECK(routes[1].config_path == "agencies[0].subscriptions[1]");
    CHECK(routes[1].retry_schedule ==
          std::vector<std::chrono::milliseconds>{std::chrono::milliseconds(1000),
                                                 std::chrono::milliseconds(7000)});
    CHECK(routes[2].name == "000.00.00.H41.directory_drop");
    CHECK(routes[3].name == "000.00.01.H41.inbox");
    CHECK(routes[3].type == "inbox");

    bus::xml::edoc_header h = header_to({"000.00.00.H41"});
    auto planned = bus::routing::plan_routes(h, dir);
    REQUIRE(planned);
    CHECK(planned->size() == 3);  // fan-out to every subscription of the addressee

    const bus::routing::naming names{"ex", "p"};
    auto t = bus::routing::make_topology(names, routes, {std::chrono::milliseconds(5000)});
    auto find = [&](const std::string& q) -> const bus::broker::queue_binding* {
        for (const auto& b : t.queues) {
            if (b.queue == q) {
                return &b;
            }
        }
        return nullptr;
    };
    const auto* route_q = find("p.route.000.00.00.H41.http_webhook.2");
    REQUIRE(route_q);
    CHECK(route_q->routing_key == "000.00.00.H41.http_webhook.2");
    CHECK(route_q->exchange.empty());  // bound to the documents exchange
    CHECK(route_q->dead_letter_exchange == "p.dead");
    // One TTL queue per distinct delay (default 5 s plus the route's 1 s and 7 s), each
    // dead-lettering back to the documents exchange.
    for (int ms : {1000, 5000, 7000}) {
        const auto* retry = find("p.retry." + std::to_string(ms) + "ms");
        REQUIRE(retry);
        CHECK(retry->message_ttl_ms == ms);
        CHECK(retry->exchange == retry->queue);
        CHECK(retry->dead_letter_exchange == "ex");
    }
    const auto* dead = find("p.dead-letter");
    REQUIRE(dead);
    CHECK(dead->exchange == "p.dead");
    CHECK(t.queues.size() == 4 + 3 + 1);
}

TEST_CASE("directory: fingerprints are normalised and subscriptions keep their settings",
          "[unit]") {
    const auto path = test::make_temp_dir("lienthong-dir") + "/agencies.yaml";
    std::ofstream(path)
        << "agencies:\n"
           "  - code: 000.00.00.H41\n    name: P\n    level: province\n"
           "    fingerprints: ['" +
               std::string(32, 'A') + ":" + std::string(32, 'b') +
               "']\n"
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

    auto e = directory_errors(
        "agencies:\n  - {code: 000.00.00.H41, name: P, level: province,"
        " fingerprints: [abc], subscriptions: [{settings: [1]}]}\n");
    auto has = [&](const std::string& prefix) {
        return std::any_of(e.begin(), e.end(),
                           [&](const std::string& s) { return s.rfind(prefix, 0) == 0; });
    };
    CHECK(has("agencies[0].fingerprints: 'abc' is not a SHA-256 fingerprint"));
    CHECK(has("agencies[0].subscriptions[0].type: is required"));
    CHECK(has("agencies[0].subscriptions[0].settings: must be a mapping"));
}

TEST_CASE("directory: envelope-signature policy per agency and for the national axis", "[unit]") {
    using bus::routing::envelope_policy;
    const auto path = test::make_temp_dir("lienthong-dir") + "/agencies.yaml";
    std::ofstream(path) << "agencies:\n"
                           "  - {code: 000.00.00.H41, name: P, level: province}\n"
                           "  - {code: 000.00.01.H41, name: D, level: district, "
                           "parent: 000.00.00.H41, envelope_signature: if_present, "
                           "allow_sha1: true}\n"
                           "  - {code: 000.00.02.H41, name: E, level: district, "
                           "parent: 000.00.00.H41, envelope_signature: 'off'}\n";
    auto dir = bus::routing::directory::load(path);
    // Defaults: required over REST, if_present for documents polled from the axis.
    CHECK(dir.envelope_for("000.00.00.H41").policy == envelope_policy::required);
    CHECK_FALSE(dir.envelope_for("000.00.00.H41").allow_sha1);
    CHECK(dir.envelope_for("000.00.01.H41").policy == envelope_policy::if_present);
    CHECK(dir.envelope_for("000.00.01.H41").allow_sha1);
    CHECK(dir.envelope_for("000.00.02.H41").policy == envelope_policy::off);
    CHECK(dir.envelope_for("000.00.00.G22").policy == envelope_policy::required);
    CHECK(dir.axis_inbound_envelope().policy == envelope_policy::if_present);

    std::ofstream(path) << "national_axis:\n  envelope_signature: required\n  allow_sha1: true\n"
                           "  settings: {endpoint: 'http://127.0.0.1:9'}\n"
                           "agencies:\n  - {code: 000.00.00.H41, name: P, level: province}\n";
    auto strict = bus::routing::directory::load(path);
    CHECK(strict.axis_inbound_envelope().policy == envelope_policy::required);
    CHECK(strict.axis_inbound_envelope().allow_sha1);

    auto e = directory_errors(
        "national_axis: {envelope_signature: maybe}\n"
        "agencies:\n  - {code: 000.00.00.H41, name: P, level: province,"
        " envelope_signature: sometimes, allow_sha1: perhaps}\n");
    auto has = [&](const std::string& prefix) {
        return std::any_of(e.begin(), e.end(),
                           [&](const std::string& s) { return s.rfind(prefix, 0) == 0; });
    };
    CHECK(has("national_axis.envelope_signature: must be one of required, if_present, off"));
    CHECK(has("agencies[0].envelope_signature: must be one of required, if_present, off"));
    CHECK(has("agencies[0].allow_sha1: "));
}

TEST_CASE("directory: document-signature policy per agency - record by default", "[unit]") {
    using bus::routing::document_policy;
    const auto path = test::make_temp_dir("lienthong-dir") + "/agencies.yaml";
    std::ofstream(path) << "agencies:\n"
                           "  - {code: 000.00.00.H41, name: P, level: province,"
                           " document_signature: required}\n"
                           "  - {code: 000.00.01.H41, name: D, level: district, "
                           "parent: 000.00.00.H41, document_signature: record}\n"
                           "  - {code: 000.00.02.H41, name: E, level: district, "
                           "parent: 000.00.00.H41}\n";
    auto dir = bus::routing::directory::load(path);
    CHECK(dir.documents_for("000.00.00.H41") == document_policy::required);
    CHECK(dir.documents_for("000.00.01.H41") == document_policy::record);
    CHECK(dir.documents_for("000.00.02.H41") == document_policy::record);
    CHECK(dir.documents_for("000.00.00.G22") == document_policy::record);
    CHECK(bus::routing::policy_name(document_policy::required) == "required");

    auto e = directory_errors(
        "agencies:\n  - {code: 000.00.00.H41, name: P, level: province,"
        " document_signature: always}\n");
    REQUIRE(e.size() == 1);
    CHECK(e[0] == "agencies[0].document_signature: must be one of record, required");
}
