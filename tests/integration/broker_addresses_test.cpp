// broker.addresses against the private RabbitMQ: a dead node first in the list is skipped.
#include <catch2/catch.hpp>

#include "broker/amqp.hpp"
#include "support/bus_process.hpp"
#include "support/rabbitmq.hpp"

using namespace lienthong;
namespace amqp = bus::broker::amqp;

namespace {

amqp::connect_params params_for(std::vector<int> ports) {
    amqp::connect_params p;
    for (int port : ports) {
        p.addresses.push_back({"127.0.0.1", static_cast<std::uint16_t>(port)});
    }
    p.user = "guest";
    p.password = "guest";
    p.heartbeat_s = 0;
    return p;
}

}  // namespace

TEST_CASE("broker addresses: open skips a node that refuses and logs in on the next",
          "[integration]") {
    const int dead = test::unused_port();
    auto conn = amqp::open(params_for({dead, test::test_amqp_port()}));
    REQUIRE(conn);
    amqp::close(conn->get());
}

TEST_CASE("broker addresses: no node answering is broker_unavailable naming every node",
          "[integration]") {
    const int first = test::unused_port();
    const int second = test::unused_port();
    auto conn = amqp::open(params_for({first, second}));
    REQUIRE_FALSE(conn);
    CHECK(conn.error().code == core::errc::broker_unavailable);
    CHECK(conn.error().log_detail.find(std::to_string(first)) != std::string::npos);
    CHECK(conn.error().log_detail.find(std::to_string(second)) != std::string::npos);
}
