// RabbitMQ's resource alarm (connection.blocked): the publish caught by it ends in a true,
// documented state (unconfirmed, then accepted late and delivered once); while blocked the bus
// is not ready and refuses posts at once with 503 and Retry-After.
#include <algorithm>
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <regex>
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

const std::string sample_document_id = "000.01.01.H41,2026/11/20,125/UBND-VP";

// The sample from commune1 to district1 under its own DocumentId, signed.
std::string packet_with_id(const std::string& document_id) {
    auto packet = test::read_file(test::sample_path("edoc-new.edxml"));
    const auto at = packet.find(sample_document_id);
    REQUIRE(at != std::string::npos);
    packet.replace(at, sample_document_id.size(), document_id);
    return test::sign_bytes(packet, test::agency_key(test::commune1),
                            test::agency_chain(test::commune1));
}

std::string journey_state(unsigned short port, const std::string& id) {
    auto r = test::http_call(port, "GET", "/v1/documents/" + id, {},
                             {{"Authorization", "Bearer " + test::token_of(test::commune1)}});
    INFO(r.body);
    REQUIRE(r.status == 200);
    return std::string(boost::json::parse(r.body).as_object().at("state").as_string());
}

std::size_t in_inbox(unsigned short port, const std::string& document_id) {
    const auto ids = test::inbox_document_ids(port, test::district1);
    return static_cast<std::size_t>(std::count(ids.begin(), ids.end(), document_id));
}

}  // namespace

TEST_CASE("broker memory alarm: 503 with a true outcome - then accepted late and delivered once",
          "[reliability]") {
    const char* broker_dir = std::getenv("LIENTHONG_TEST_RABBITMQ_DIR");
    REQUIRE(broker_dir != nullptr);  // tests/run.sh exports it; a missing broker must not pass
    test::bus_process bus(test::test_config(test::test_amqp_port()));
    const auto port = bus.port();
    REQUIRE(test::eventually([&] { return readyz(port) == 200; }));
    const auto tag = test::unique_name("alarm");
    const auto first_id = "000.01.01.H41,2026/11/20," + tag + "-1/UBND-VP";
    const auto second_id = "000.01.01.H41,2026/11/20," + tag + "-2/UBND-VP";
    const auto first = packet_with_id(first_id);
    const auto second = packet_with_id(second_id);
    const auto token = test::token_of(test::commune1);
    std::string id;
    {
        memory_alarm alarm(broker_dir);
        // RabbitMQ blocks a connection when it next publishes: this publish goes out and its
        // confirm is held, so the answer at the deadline says the outcome is still open.
        auto unconfirmed = test::post_document(port, token, first);
        INFO(unconfirmed.body);
        REQUIRE(unconfirmed.status == 503);
        CHECK(unconfirmed.headers["retry-after"] == "5");
        CHECK(unconfirmed.body.find("may still be accepted") != std::string::npos);
        const std::regex bus_id("bus id ([0-9a-f-]{36})");
        std::smatch m;
        REQUIRE(std::regex_search(unconfirmed.body, m, bus_id));
        id = m[1];
        CHECK(journey_state(port, id) == "unconfirmed");

        // The broker has said connection.blocked: not ready, and the next post is refused at
        // once, saying why, rather than after another confirm timeout.
        CHECK(test::eventually([&] { return readyz(port) == 503; }));
        auto refused = test::post_document(port, token, second);
        INFO(refused.body);
        CHECK(refused.status == 503);
        CHECK(refused.headers["content-type"] == "application/problem+json");
        CHECK(refused.headers["retry-after"] == "5");
        CHECK(refused.body.find("resource alarm") != std::string::npos);
        CHECK(bus.log().find("\"broker.blocked\"") != std::string::npos);
    }
    CHECK(test::eventually([&] { return readyz(port) == 200; }));
    // The held confirm arrives: the first document becomes accepted and is delivered, without
    // being sent again.
    CHECK(test::eventually([&] {
        const auto state = journey_state(port, id);
        return state == "accepted" || state == "delivered";
    }));
    CHECK(test::eventually([&] { return in_inbox(port, first_id) == 1; }));
    // A retry of it gets the original answer, and no second delivery.
    auto retry = test::post_document(port, token, first);
    INFO(retry.body);
    CHECK(retry.status == 200);
    CHECK(boost::json::parse(retry.body).as_object().at("id").as_string() == id);
    // The refused one was never accepted: sent again now, it is accepted normally.
    auto again = test::post_document(port, token, second);
    INFO(again.body);
    CHECK(again.status == 202);
    CHECK(test::eventually([&] { return in_inbox(port, second_id) == 1; }));
    CHECK(in_inbox(port, first_id) == 1);
}
