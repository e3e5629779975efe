// lienthongctl queues / dead-letters / replay / document against the real bus and RabbitMQ.
#include <sys/wait.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <cstdio>
#include <memory>
#include <thread>

#include "support/bus_process.hpp"
#include "support/http_client.hpp"
#include "support/rabbitmq.hpp"
#include "support/test_pki.hpp"
#include "support/webhook_receiver.hpp"

using namespace lienthong;
using namespace std::chrono_literals;

namespace {

struct ctl_result {
    int exit_code = -1;
    std::string out;
};

/// `lienthongctl ARGS --url http://127.0.0.1:PORT` with the admin token in the environment.
ctl_result ctl(unsigned short port, const std::string& args) {
    const std::string cmd = "LIENTHONG_ADMIN_TOKEN='" + test::admin_token() + "' '" +
                            std::string(LIENTHONG_CTL_EXE) + "' " + args +
                            " --url http://127.0.0.1:" + std::to_string(port) + " 2>&1";
    std::unique_ptr<FILE, decltype(&pclose)> pipe{popen(cmd.c_str(), "r"), pclose};
    REQUIRE(pipe);
    ctl_result r;
    char buffer[4096];
    while (std::fgets(buffer, sizeof buffer, pipe.get()) != nullptr) {
        r.out += buffer;
    }
    const int status = pclose(pipe.release());
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

}  // namespace

TEST_CASE("ctl: an operator finds a dead letter - replays it and follows the document",
          "[integration]") {
    test::webhook_receiver receiver;
    const auto directory = test::write_directory(
        {{test::district1, test::webhook_subscription(receiver.url("district1"))}});
    test::bus_process bus(test::delivery_config(test::test_amqp_port(), directory));
    const auto route = std::string(test::district1) + ".http_webhook";
    receiver.always_fail(400);

    const auto packet = test::signed_sample(test::sample_path("edoc-new.edxml"), test::commune1);
    auto posted = test::post_document(bus.port(), test::token_of(test::commune1), packet);
    REQUIRE(posted.status == 202);
    const std::string id(boost::json::parse(posted.body).at("id").as_string());

    ctl_result listed;
    for (int i = 0; i < 200 && listed.out.find(id) == std::string::npos; ++i) {
        listed = ctl(bus.port(), "dead-letters");
        std::this_thread::sleep_for(50ms);
    }
    INFO(listed.out << "\n" << bus.log());
    REQUIRE(listed.exit_code == 0);
    CHECK(listed.out.rfind("ID", 0) == 0);  // a table with a header line
    CHECK(listed.out.find(route) != std::string::npos);

    auto as_json = ctl(bus.port(), "dead-letters --json");
    REQUIRE(as_json.exit_code == 0);
    const auto letters = boost::json::parse(as_json.out).at("dead_letters").as_array();
    REQUIRE(letters.size() == 1);
    CHECK(letters.at(0).at("id").as_string() == id);

    // A listing hands the messages back; the quorum queue counts them again a moment later.
    ctl_result queues;
    for (int i = 0; i < 100 && queues.out.find("dead letters: 1") == std::string::npos; ++i) {
        queues = ctl(bus.port(), "queues");
        std::this_thread::sleep_for(50ms);
    }
    INFO(queues.out);
    REQUIRE(queues.exit_code == 0);
    CHECK(queues.out.find(route) != std::string::npos);
    CHECK(queues.out.find("dead letters: 1") != std::string::npos);

    receiver.always_fail(0);
    auto replayed = ctl(bus.port(), "replay " + id);
    INFO(replayed.out);
    REQUIRE(replayed.exit_code == 0);
    CHECK(replayed.out.find("1 dead letter(s) replayed") != std::string::npos);
    REQUIRE(receiver.wait_delivered(1, 20s));

    ctl_result journey;
    for (int i = 0; i < 100 && journey.out.find(": delivered") == std::string::npos; ++i) {
        journey = ctl(bus.port(), "document " + id);
        std::this_thread::sleep_for(50ms);
    }
    INFO(journey.out);
    CHECK(journey.exit_code == 0);
    CHECK(journey.out.find("from " + std::string(test::commune1) + ": delivered") !=
          std::string::npos);
    CHECK(journey.out.find("dead_lettered") != std::string::npos);
    CHECK(journey.out.find("replayed") != std::string::npos);

    // Errors come back as a non-zero exit with the problem.
    auto missing = ctl(bus.port(), "document no-such-document");
    CHECK(missing.exit_code == 1);
    CHECK(missing.out.find("HTTP 404") != std::string::npos);
    auto wrong_token = ctl(bus.port(), "queues --token wrong");
    CHECK(wrong_token.exit_code == 1);
    CHECK(wrong_token.out.find("HTTP 401") != std::string::npos);
}
