// Delivery end to end: the real bus, the real broker, real HTTP receivers and folders.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <thread>

#include "support/bus_process.hpp"
#include "support/http_client.hpp"
#include "support/rabbitmq.hpp"
#include "support/test_pki.hpp"
#include "support/webhook_receiver.hpp"

using namespace lienthong;
using namespace std::chrono_literals;

TEST_CASE("delivery: a province circular reaches every district through mixed adapters",
          "[integration]") {
    test::webhook_receiver receiver;
    const auto drop = test::make_temp_dir("lienthong-drop");
    const auto directory = test::write_directory(
        {{test::district1, test::webhook_subscription(receiver.url("district1"))},
         {test::district2, "      - type: directory_drop\n        settings: {path: " + drop +
                               "}\n" + test::webhook_subscription(receiver.url("district2"))}});
    test::bus_process bus(test::delivery_config(test::test_amqp_port(), directory));
    const auto packet =
        test::signed_sample(test::sample_path("edoc-circular-fanout.edxml"), test::province);
    auto r = test::post_document(bus.port(), test::token_of(test::province), packet);
    INFO(r.body << "\n" << bus.log());
    REQUIRE(r.status == 202);
    const std::string id(boost::json::parse(r.body).at("id").as_string());

    REQUIRE(receiver.wait_delivered(2, 20s));
    std::map<std::string, test::webhook_delivery> by_path;
    for (const auto& d : receiver.delivered()) {
        by_path.emplace(d.path, d);
    }
    REQUIRE(by_path.size() == 2);
    CHECK(by_path.at("/district1").recipient == test::district1);
    CHECK(by_path.at("/district2").recipient == test::district2);
    for (const auto& [path, d] : by_path) {
        CHECK(d.id == id);
        CHECK(d.sender == test::province);
        CHECK(d.envelope_signature == "verified");  // the ingest verdict travels with it
        CHECK(d.body == packet);                    // the original signed bytes, untouched
    }
    const auto dropped = std::filesystem::path(drop) / (id + ".edxml");
    for (int i = 0; i < 200 && !std::filesystem::exists(dropped); ++i) {
        std::this_thread::sleep_for(50ms);
    }
    REQUIRE(std::filesystem::exists(dropped));
    CHECK(test::read_file(dropped.string()) == packet);
    std::this_thread::sleep_for(500ms);
    CHECK(receiver.received().size() == 2);  // one delivery per route, nothing twice
}

TEST_CASE("delivery: --check-config names unknown adapter types and bad settings with their path",
          "[integration]") {
    const auto directory = test::write_directory(
        {{test::district1, "      - type: carrier_pigeon\n        settings: {}\n"},
         {test::district2, "      - type: http_webhook\n        settings: {url: 'ftp://x'}\n"}});
    auto [rc, out] = test::check_config(test::delivery_config(test::test_amqp_port(), directory));
    INFO(out);
    CHECK(rc == 1);
    CHECK(out.find("agencies[1].subscriptions[0].type: unknown adapter type 'carrier_pigeon' "
                   "(known: ") != std::string::npos);
    CHECK(out.find("http_webhook") != std::string::npos);
    CHECK(out.find("agencies[2].subscriptions[0].settings.url: 'ftp://x' must start with") !=
          std::string::npos);
}

TEST_CASE("delivery: /readyz reports not ready while the consumer cannot reach the broker",
          "[integration]") {
    const auto directory = test::write_directory({});
    test::bus_process bus(test::delivery_config(test::unused_port(), directory));
    CHECK(test::http_call(bus.port(), "GET", "/readyz").status == 503);
}
