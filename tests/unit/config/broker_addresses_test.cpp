// broker.addresses: the nodes of a RabbitMQ cluster, tried in turn at every connect (issue 15).
#include <catch2/catch.hpp>
#include <regex>

#include "broker/amqp.hpp"
#include "config/config.hpp"
#include "support/bus_process.hpp"
#include "unit/config/config_test_support.hpp"

using namespace lienthong;
using test::errors_of;
using test::has_error;

namespace {

/// The test config with its broker section's `port:` line replaced by `lines`.
std::string with_broker(const std::string& lines) {
    return std::regex_replace(test::test_config(5999), std::regex("broker:\n  port: 5999\n"),
                              "broker:\n" + lines);
}

}  // namespace

TEST_CASE("config: broker.addresses lists the cluster's nodes in order", "[unit]") {
    const auto c = bus::config::load_config(
        test::write_config(with_broker("  addresses: [\"127.0.0.1:5701\", \"rmq-2.lan:5702\"]\n")));
    REQUIRE(c.broker.addresses.size() == 2);
    CHECK(c.broker.addresses[0] == bus::config::broker_address{"127.0.0.1", 5701});
    CHECK(c.broker.addresses[1] == bus::config::broker_address{"rmq-2.lan", 5702});
    const auto params = bus::broker::amqp::params_of(c.broker, 0);
    CHECK(params.addresses == c.broker.addresses);
}

TEST_CASE("config: without broker.addresses the bus uses broker.host and broker.port", "[unit]") {
    const auto c = bus::config::load_config(test::write_config(test::test_config(5999)));
    const auto params = bus::broker::amqp::params_of(c.broker, 0);
    REQUIRE(params.addresses.size() == 1);
    CHECK(params.addresses[0] == bus::config::broker_address{"127.0.0.1", 5999});
}

TEST_CASE("config: a bad broker.addresses is refused naming the key", "[unit]") {
    SECTION("not host:port") {
        auto e = errors_of(with_broker("  addresses: [\"127.0.0.1\"]\n"));
        CHECK(has_error(e, "broker.addresses: '127.0.0.1' is not host:port"));
    }
    SECTION("port out of range") {
        auto e = errors_of(with_broker("  addresses: [\"h:70000\", \"h:0\"]\n"));
        CHECK(has_error(e, "broker.addresses: 'h:70000'"));
        CHECK(has_error(e, "broker.addresses: 'h:0'"));
    }
    SECTION("empty list") {
        CHECK(has_error(errors_of(with_broker("  addresses: []\n")),
                        "broker.addresses: must list at least one"));
    }
    SECTION("together with port") {
        auto e = errors_of(with_broker("  port: 5999\n  addresses: [\"h:1\"]\n"));
        CHECK(has_error(e, "broker.addresses: set either addresses or host and port"));
    }
}
