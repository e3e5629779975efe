#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>

#include "support/bus_process.hpp"
#include "support/test_pki.hpp"

using namespace lienthong;

namespace {

std::string definitions_for(const std::string& config_text) {
    const auto dir = test::make_temp_dir("lienthong-defs");
    std::ofstream(dir + "/bus.yaml") << config_text;
    const std::string cmd = std::string(LIENTHONG_CTL_EXE) + " definitions --config " + dir +
                            "/bus.yaml > " + dir + "/out.json";
    REQUIRE(std::system(cmd.c_str()) == 0);
    return test::read_file(dir + "/out.json");
}

}  // namespace

TEST_CASE("deploy/rabbitmq/definitions.json is the topology the bus declares for the demo",
          "[unit]") {
    const auto generated = boost::json::parse(definitions_for(test::test_config(5672)));
    const auto committed = boost::json::parse(
        test::read_file(LIENTHONG_SOURCE_DIR "/deploy/rabbitmq/definitions.json"));
    // Regenerate after a topology change: lienthongctl definitions --config BUS.yaml
    CHECK(generated == committed);

    const auto& queues = generated.at("queues").as_array();
    const auto& bindings = generated.at("bindings").as_array();
    bool dead_letter_queue = false;
    for (const auto& q : queues) {
        const auto& args = q.at("arguments").as_object();
        CHECK(args.at("x-queue-type") == "quorum");
        CHECK(q.at("durable") == true);
        const std::string name(q.at("name").as_string());
        dead_letter_queue = dead_letter_queue || name == "lienthong.dead-letter";
        if (name.find(".retry.") != std::string::npos) {
            CHECK(args.at("x-message-ttl").as_int64() > 0);
            CHECK(args.at("x-dead-letter-exchange") == "lienthong.documents");
        }
        const bool bound = std::any_of(bindings.begin(), bindings.end(), [&](const auto& b) {
            return b.at("destination") == q.at("name");
        });
        CHECK(bound);
    }
    CHECK(dead_letter_queue);
    // One route per demo agency (each has at least its default inbox subscription).
    const auto routes = std::count_if(queues.begin(), queues.end(), [](const auto& q) {
        return std::string(q.at("name").as_string()).starts_with("lienthong.route.");
    });
    CHECK(routes >= 6);
}
