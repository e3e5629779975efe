// RabbitMQ's resource alarm (connection.blocked): the bus is not ready and refuses posts at
// once with 503 and Retry-After, and takes documents again once the alarm clears.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>

#include "support/bus_process.hpp"
#include "support/eventually.hpp"
#include "support/http_client.hpp"
#include "support/rabbitmq.hpp"
#include "support/test_pki.hpp"

using namespace lienthong;

namespace {

// Raises the test broker's memory alarm (a 1-byte high watermark) for its lifetime; restores
// RabbitMQ's default watermark however the test ends.
class memory_alarm final {
  public:
    explicit memory_alarm(std::string broker_dir) : dir_(std::move(broker_dir)) {
        REQUIRE(ctl("set_vm_memory_high_watermark absolute 1") == 0);
    }
    ~memory_alarm() { (void)ctl("set_vm_memory_high_watermark 0.4"); }
    memory_alarm(const memory_alarm&) = delete;
    memory_alarm& operator=(const memory_alarm&) = delete;

  private:
    int ctl(const std::string& args) const {
        const std::string cmd =
            LIENTHONG_SOURCE_DIR "/deploy/rabbitmq/ctl.sh " + dir_ + " " + args + " > /dev/null";
        return std::system(cmd.c_str());
    }
    std::string dir_;
};

int readyz(unsigned short port) { return test::http_call(port, "GET", "/readyz").status; }

}  // namespace

TEST_CASE("broker memory alarm: not ready and 503 with Retry-After at once - then accepted again",
          "[reliability]") {
    const char* broker_dir = std::getenv("LIENTHONG_TEST_RABBITMQ_DIR");
    REQUIRE(broker_dir != nullptr);  // tests/run.sh exports it; a missing broker must not pass
    test::bus_process bus(test::test_config(test::test_amqp_port()));
    REQUIRE(test::eventually([&] { return readyz(bus.port()) == 200; }));
    const auto packet = test::signed_sample(test::sample_path("edoc-new.edxml"), test::commune1);
    const auto token = test::token_of(test::commune1);
    {
        memory_alarm alarm(broker_dir);
        CHECK(test::eventually([&] { return readyz(bus.port()) == 503; }));
        // The publisher saw connection.blocked: the answer says so, rather than a confirm that
        // timed out (which would mean the packet may sit in the broker after all).
        auto refused = test::post_document(bus.port(), token, packet);
        INFO(refused.body);
        CHECK(refused.status == 503);
        CHECK(refused.headers["content-type"] == "application/problem+json");
        CHECK(refused.headers["retry-after"] == "5");
        CHECK(refused.body.find("resource alarm") != std::string::npos);
        CHECK(bus.log().find("\"broker.blocked\"") != std::string::npos);
    }
    CHECK(test::eventually([&] { return readyz(bus.port()) == 200; }));
    // The same packet again: nothing of it was accepted before, so it is accepted now.
    auto accepted = test::post_document(bus.port(), token, packet);
    INFO(accepted.body);
    CHECK(accepted.status == 202);
}
