// The pull inbox and a third-party plugin end to end: the real bus, RabbitMQ and HTTP.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <thread>

#include "support/bus_process.hpp"
#include "support/http_client.hpp"
#include "support/rabbitmq.hpp"
#include "support/test_pki.hpp"
#include "support/webhook_receiver.hpp"

using namespace lienthong;
using namespace std::chrono_literals;

namespace {

test::http_reply as(unsigned short port, const std::string& agency, const std::string& method,
                    const std::string& target) {
    return test::http_call(port, method, target, {},
                           {{"Authorization", "Bearer " + test::token_of(agency)}});
}

std::vector<std::string> listed_ids(unsigned short port, const std::string& agency) {
    auto r = as(port, agency, "GET", "/v1/inbox");
    REQUIRE(r.status == 200);
    const auto body = boost::json::parse(r.body);
    std::vector<std::string> ids;
    for (const auto& d : body.at("documents").as_array()) {
        ids.emplace_back(d.at("id").as_string());
    }
    return ids;
}

}  // namespace

TEST_CASE("inbox e2e: a commune's document waits in the district's inbox - invisible to others",
          "[integration]") {
    const auto directory =
        test::write_directory({{test::district1, "      - type: inbox\n        settings: {}\n"}});
    test::bus_process bus(test::delivery_config(test::test_amqp_port(), directory));
    const auto packet = test::signed_sample(test::sample_path("edoc-new.edxml"), test::commune1);
    auto posted = test::post_document(bus.port(), test::token_of(test::commune1), packet);
    INFO(posted.body << "\n" << bus.log());
    REQUIRE(posted.status == 202);
    const std::string id(boost::json::parse(posted.body).at("id").as_string());

    for (int i = 0; i < 400 && listed_ids(bus.port(), test::district1).empty(); ++i) {
        std::this_thread::sleep_for(50ms);
    }
    REQUIRE(listed_ids(bus.port(), test::district1) == std::vector<std::string>{id});
    auto own = as(bus.port(), test::district1, "GET", "/v1/inbox/" + id);
    CHECK(own.status == 200);
    CHECK(own.headers["content-type"] == "application/xml");
    CHECK(own.body == packet);

    // The sender, a sibling commune and the other district see nothing and can ack nothing.
    for (const char* other : {test::commune1, test::commune2, test::district2}) {
        INFO(other);
        CHECK(listed_ids(bus.port(), other).empty());
        CHECK(as(bus.port(), other, "GET", "/v1/inbox/" + id).status == 404);
        CHECK(as(bus.port(), other, "POST", "/v1/inbox/" + id + "/ack").status == 404);
    }
    CHECK(test::http_call(bus.port(), "GET", "/v1/inbox").status == 401);

    CHECK(as(bus.port(), test::district1, "POST", "/v1/inbox/" + id + "/ack").status == 204);
    CHECK(listed_ids(bus.port(), test::district1).empty());
    CHECK(as(bus.port(), test::district1, "GET", "/v1/inbox/" + id).status == 404);
}

TEST_CASE("plugins e2e: the example plugin is loaded from adapters.plugins_dir and delivers",
          "[integration]") {
    const auto out = test::make_temp_dir("lienthong-plugin-e2e") + "/deliveries.log";
    const auto directory = test::write_directory(
        {{test::district1,
          "      - type: example_log\n        settings: {file: '" + out + "'}\n"}});
    test::bus_process bus(test::delivery_config(
        test::test_amqp_port(), directory,
        "adapters:\n  plugins_dir: " + std::string(LIENTHONG_PLUGINS_DIR) + "\n"));
    const auto packet = test::signed_sample(test::sample_path("edoc-new.edxml"), test::commune1);
    auto posted = test::post_document(bus.port(), test::token_of(test::commune1), packet);
    INFO(posted.body << "\n" << bus.log());
    REQUIRE(posted.status == 202);
    const std::string id(boost::json::parse(posted.body).at("id").as_string());

    std::string line;
    for (int i = 0; i < 400 && line.empty(); ++i) {
        std::ifstream in(out);
        std::getline(in, line);
        std::this_thread::sleep_for(50ms);
    }
    CHECK(line == id + " " + test::commune1 + " " + test::district1 + " " +
                      std::to_string(packet.size()) + " 000.01.01.H41,2026/11/20,125/UBND-VP");
    CHECK(bus.log().find(R"("event":"adapter.plugin_loaded","type":"example_log")") !=
          std::string::npos);
}

TEST_CASE("plugins e2e: --check-config reports a plugin's setting errors with their path",
          "[integration]") {
    const auto directory = test::write_directory(
        {{test::district1, "      - type: example_log\n        settings: {fail_first: x}\n"}});
    auto [rc, out] = test::check_config(test::delivery_config(
        test::test_amqp_port(), directory,
        "adapters:\n  plugins_dir: " + std::string(LIENTHONG_PLUGINS_DIR) + "\n"));
    INFO(out);
    CHECK(rc == 1);
    CHECK(out.find("agencies[1].subscriptions[0].settings.file: is required") != std::string::npos);
    CHECK(out.find("agencies[1].subscriptions[0].settings.fail_first: must be a non-negative "
                   "integer") != std::string::npos);
}
