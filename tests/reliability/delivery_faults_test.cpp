// Issue 3's fault tests: real RabbitMQ, real bus processes, a loopback webhook receiver that
// records every delivery. Each prints the counts it checked.
#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "support/bus_process.hpp"
#include "support/http_client.hpp"
#include "support/rabbitmq.hpp"
#include "support/test_pki.hpp"
#include "support/webhook_receiver.hpp"

using namespace lienthong;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

namespace {

const std::string sample = LIENTHONG_SOURCE_DIR "/schemas/samples/edoc-new.edxml";
const std::string sample_document_id = "000.01.01.H41,2026/11/20,125/UBND-VP";

/// `n` signed packets from commune1 to district1, each with its own DocumentId.
std::vector<std::string> distinct_packets(std::size_t n, const std::string& tag) {
    const auto base = test::read_file(sample);
    const auto at = base.find(sample_document_id);
    REQUIRE(at != std::string::npos);
    std::vector<std::string> out(n);
    std::vector<std::thread> signers;
    for (std::size_t t = 0; t < 2; ++t) {
        signers.emplace_back([&, t] {
            for (std::size_t i = t; i < n; i += 2) {
                auto packet = base;
                packet.replace(
                    at, sample_document_id.size(),
                    "000.01.01.H41,2026/11/20," + tag + "-" + std::to_string(i) + "/UBND-VP");
                out[i] = test::sign_bytes(packet, test::agency_key(test::commune1),
                                          test::agency_chain(test::commune1));
            }
        });
    }
    for (auto& s : signers) {
        s.join();
    }
    return out;
}

std::size_t document_count() {
    const char* v = std::getenv("LIENTHONG_FAULT_DOCS");
    return v ? std::stoul(v) : 2000;
}

/// A bus whose route to district1 is a webhook to `receiver`, with a tracking store that
/// survives restarts (each bus_process has its own temp folder).
struct fault_setup {
    explicit fault_setup(const std::string& delivery_yaml = {}) {
        directory =
            test::write_directory({{test::district1, test::webhook_subscription(receiver.url())}});
        config = test::delivery_config(test::test_amqp_port(), directory,
                                       "store:\n  path: " + test::make_temp_dir("lienthong-store") +
                                           "/tracking.db\n" +
                                           // 2,000 posts in seconds: not a rate-limit test.
                                           "limits:\n  requests_per_minute: 0\n" + delivery_yaml);
    }
    test::webhook_receiver receiver;
    std::string directory;
    std::string config;
};

/// Posts every packet until the bus answers 2xx (a client retries on 503 and on a dropped
/// connection, as the REST contract asks), from several threads, while `disturb` runs on the
/// calling thread with the count of answered documents. Returns the bus id of each document.
std::vector<std::string> post_all(
    const std::vector<std::string>& packets, std::atomic<unsigned short>& port,
    const std::function<void(const std::atomic<std::size_t>&)>& disturb) {
    std::vector<std::string> ids(packets.size());
    std::atomic<std::size_t> next{0};
    std::atomic<std::size_t> answered{0};
    std::atomic<bool> gave_up{false};
    const auto deadline = clock_type::now() + 150s;
    std::vector<std::thread> clients;
    for (int c = 0; c < 4; ++c) {
        clients.emplace_back([&] {
            for (std::size_t i = next++; i < packets.size(); i = next++) {
                for (;;) {
                    if (clock_type::now() > deadline) {
                        gave_up = true;
                        return;
                    }
                    try {
                        auto r = test::post_document(port.load(), test::token_of(test::commune1),
                                                     packets[i]);
                        if (r.status == 202 || r.status == 200) {
                            ids[i] = boost::json::parse(r.body).at("id").as_string().c_str();
                            ++answered;
                            break;
                        }
                        if (r.status != 503) {
                            std::cerr << "unexpected answer " << r.status << ": " << r.body << "\n";
                            gave_up = true;
                            return;
                        }
                    } catch (const std::exception&) {
                        // The bus is down (killed or restarting): try again shortly.
                    }
                    std::this_thread::sleep_for(50ms);
                }
            }
        });
    }
    disturb(answered);
    for (auto& c : clients) {
        c.join();
    }
    REQUIRE_FALSE(gave_up);
    return ids;
}

/// Waits for every accepted document, then checks and prints exactly-once delivery as the
/// recipient sees it. Delivery is at-least-once on the wire: a POST in flight when the bus dies
/// (the receiver answered, the bus had not yet recorded it) is sent again after the restart with
/// the same Idempotency-Key, which a recipient uses to drop the repeat; every other redelivery is
/// stopped by the bus's delivered set. So: no document may reach the recipient under two keys,
/// none may be missing, and repeated keys are bounded by the deliveries that can be in flight at
/// a kill (`max_repeats`).
void check_exactly_once(const std::string& name, const std::vector<std::string>& accepted,
                        const test::webhook_receiver& receiver, std::size_t max_repeats) {
    const std::set<std::string> accepted_set(accepted.begin(), accepted.end());
    const auto deadline = clock_type::now() + 120s;
    auto distinct = [&] {
        std::set<std::string> s;
        for (const auto& d : receiver.delivered()) {
            s.insert(d.id);
        }
        return s;
    };
    while (distinct().size() < accepted_set.size() && clock_type::now() < deadline) {
        std::this_thread::sleep_for(100ms);
    }
    std::this_thread::sleep_for(2s);     // late redeliveries, if any, would show up now
    std::map<std::string, int> per_key;  // Idempotency-Key -> POSTs
    std::map<std::string, std::set<std::string>> keys_per_document;  // DocumentId -> keys
    for (const auto& d : receiver.delivered()) {
        ++per_key[d.id];
        keys_per_document[d.document_id].insert(d.id);
    }
    std::size_t repeats = 0;
    for (const auto& [key, n] : per_key) {
        repeats += static_cast<std::size_t>(n - 1);
    }
    std::size_t duplicates = 0;  // documents the recipient would process twice
    for (const auto& [document_id, keys] : keys_per_document) {
        duplicates += keys.size() - 1;
    }
    std::size_t lost = 0;
    for (const auto& id : accepted_set) {
        lost += per_key.count(id) == 0 ? 1 : 0;
    }
    std::size_t unexpected = 0;
    for (const auto& [key, n] : per_key) {
        unexpected += accepted_set.count(key) == 0 ? 1 : 0;
    }
    std::cout << "[" << name << "] accepted: " << accepted_set.size()
              << ", delivered: " << per_key.size() << ", duplicates: " << duplicates
              << ", lost: " << lost << ", delivered but not accepted: " << unexpected
              << ", repeated POSTs with the same Idempotency-Key: " << repeats << " (bound "
              << max_repeats << ")" << std::endl;
    CHECK(accepted_set.size() == accepted.size());
    CHECK(duplicates == 0);
    CHECK(lost == 0);
    CHECK(unexpected == 0);
    CHECK(repeats <= max_repeats);
}

/// The next message of the dead-letter queue, waiting up to 10 s for one.
std::optional<test::received_message> next_dead_letter(const std::string& queue) {
    std::optional<test::received_message> dead;
    for (int i = 0; i < 200 && !dead; ++i) {
        dead = test::basic_get(test::test_amqp_port(), queue);
        std::this_thread::sleep_for(50ms);
    }
    return dead;
}

/// The bus of a fault test that stops it and starts it again; `port` follows the restarts.
struct restartable_bus {
    explicit restartable_bus(const fault_setup& s)
        : setup(s), process(std::make_unique<test::bus_process>(s.config)), port(process->port()) {}
    void restart() {
        process.reset();
        process = std::make_unique<test::bus_process>(setup.config);
        port = process->port();
    }
    const fault_setup& setup;
    std::unique_ptr<test::bus_process> process;
    std::atomic<unsigned short> port;
};

}  // namespace

TEST_CASE(
    "faults: the bus is killed (SIGKILL) twice while documents flow - each accepted "
    "document is delivered exactly once",
    "[reliability]") {
    fault_setup setup;
    const auto packets = distinct_packets(document_count(), test::unique_name("kill"));
    restartable_bus bus(setup);
    int kills = 0;
    const auto ids = post_all(packets, bus.port, [&](const std::atomic<std::size_t>& answered) {
        for (const double share : {0.3, 0.65}) {
            while (answered < static_cast<std::size_t>(share * packets.size())) {
                std::this_thread::sleep_for(5ms);
            }
            ::kill(bus.process->pid(), SIGKILL);
            ++kills;
            bus.restart();
        }
    });
    CHECK(kills == 2);
    // At most one in-flight POST per delivery worker (default 4) can be cut off per kill.
    check_exactly_once("sigkill x2", ids, setup.receiver, 2 * 4);
}

TEST_CASE(
    "faults: SIGTERM while documents flow - the bus drains and exits 0 - and each accepted "
    "document is delivered exactly once",
    "[reliability]") {
    fault_setup setup;
    const auto packets = distinct_packets(document_count(), test::unique_name("term"));
    restartable_bus bus(setup);
    std::optional<int> status;
    const auto ids = post_all(packets, bus.port, [&](const std::atomic<std::size_t>& answered) {
        while (answered < packets.size() / 2) {
            std::this_thread::sleep_for(5ms);
        }
        // Graceful: requests, deliveries and publishes in flight settle, then the process ends.
        const auto asked = clock_type::now();
        status = bus.process->terminate(30s);
        std::cout << "[sigterm] stopped " << answered << " documents in, after "
                  << std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() -
                                                                           asked)
                         .count()
                  << " ms" << std::endl;
        bus.restart();
    });
    REQUIRE(status.has_value());  // it stopped by itself, within the grace period
    CHECK(WIFEXITED(*status));
    CHECK(WEXITSTATUS(*status) == 0);
    // Unlike a kill, a drain lets every delivery in flight record itself: no repeat at all.
    check_exactly_once("sigterm", ids, setup.receiver, 0);
}

TEST_CASE(
    "faults: RabbitMQ is stopped and started again while documents flow - each accepted "
    "document is delivered exactly once",
    "[reliability]") {
    const char* broker_dir = std::getenv("LIENTHONG_TEST_RABBITMQ_DIR");
    REQUIRE(broker_dir != nullptr);  // tests/run.sh exports it; a missing broker must not pass
    fault_setup setup;
    const auto packets = distinct_packets(document_count(), test::unique_name("broker"));
    test::bus_process bus(setup.config);
    std::atomic<unsigned short> port{bus.port()};
    const std::string scripts = LIENTHONG_SOURCE_DIR "/deploy/rabbitmq/";
    const auto ids = post_all(packets, port, [&](const std::atomic<std::size_t>& answered) {
        while (answered < packets.size() / 3) {
            std::this_thread::sleep_for(5ms);
        }
        REQUIRE(std::system((scripts + "stop.sh " + broker_dir + " > /dev/null").c_str()) == 0);
        // Not ready while the broker is away (publisher and consumer both see it).
        bool not_ready = false;
        for (int i = 0; i < 100 && !not_ready; ++i) {
            not_ready = test::http_call(bus.port(), "GET", "/readyz").status == 503;
            std::this_thread::sleep_for(50ms);
        }
        CHECK(not_ready);
        std::this_thread::sleep_for(2s);
        REQUIRE(std::system((scripts + "start.sh " + broker_dir + " " +
                             std::to_string(test::test_amqp_port()) + " > /dev/null")
                                .c_str()) == 0);
        // Issue 3 asks for consuming and publishing to resume within 5 s of the broker coming
        // back; printed as a figure (a timing threshold would make the test flaky on a busy box).
        const auto back = clock_type::now();
        while (test::http_call(bus.port(), "GET", "/readyz").status != 200 &&
               clock_type::now() - back < 30s) {
            std::this_thread::sleep_for(50ms);
        }
        std::cout << "[rabbitmq restart] ready again "
                  << std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - back)
                         .count()
                  << " ms after start.sh returned" << std::endl;
    });
    // Issue 3: consuming and publishing resume within 5 s of the broker coming back.
    CHECK(test::http_call(bus.port(), "GET", "/readyz").status == 200);
    // The bus stays up: a delivery whose ack was lost with the connection is recognised as
    // delivered when it comes back, so not even a repeat reaches the receiver.
    check_exactly_once("rabbitmq restart", ids, setup.receiver, 0);
}

TEST_CASE("faults: a receiver that fails twice receives the document once - after the backoff",
          "[reliability]") {
    fault_setup setup("delivery:\n  retry_schedule_ms: [1000, 2000, 60000]\n");
    setup.receiver.fail_next(2, 503);
    test::bus_process bus(setup.config);
    auto r = test::post_document(bus.port(), test::token_of(test::commune1),
                                 distinct_packets(1, test::unique_name("flaky"))[0]);
    REQUIRE(r.status == 202);
    REQUIRE(setup.receiver.wait_delivered(1, 30s));
    std::this_thread::sleep_for(1s);  // nothing more may arrive
    const auto all = setup.receiver.received();
    REQUIRE(all.size() == 3);
    CHECK(all[0].answered == 503);
    CHECK(all[1].answered == 503);
    CHECK(all[2].answered == 200);
    CHECK(all[0].attempt == 1);
    CHECK(all[1].attempt == 2);
    CHECK(all[2].attempt == 3);
    CHECK(setup.receiver.delivered().size() == 1);
    // The retry step's TTL is a lower bound on the gap (the broker holds the copy that long).
    const auto gap1 = std::chrono::duration_cast<std::chrono::milliseconds>(all[1].at - all[0].at);
    const auto gap2 = std::chrono::duration_cast<std::chrono::milliseconds>(all[2].at - all[1].at);
    std::cout << "[fail twice] attempts: 3, delivered: 1, gaps: " << gap1.count() << " ms, "
              << gap2.count() << " ms (steps 1000, 2000 ms)" << std::endl;
    CHECK(gap1 >= 1000ms);
    CHECK(gap2 >= 2000ms);
}

TEST_CASE(
    "faults: a receiver that always fails sends the document to the dead-letter queue "
    "with its reason",
    "[reliability]") {
    fault_setup setup("delivery:\n  retry_schedule_ms: [200, 300]\n");
    const auto dead_queue = test::queue_prefix_of(setup.config) + ".dead-letter";
    test::bus_process bus(setup.config);
    const auto packets = distinct_packets(2, test::unique_name("dead"));

    SECTION("retryable failures: dead-lettered after the last step") {
        setup.receiver.always_fail(503);
        auto r = test::post_document(bus.port(), test::token_of(test::commune1), packets[0]);
        REQUIRE(r.status == 202);
        const std::string id(boost::json::parse(r.body).at("id").as_string());
        const auto dead = next_dead_letter(dead_queue);
        REQUIRE(dead);
        const std::map<std::string, std::string> h(dead->headers.begin(), dead->headers.end());
        CHECK(h.at("x-document-id") == id);
        CHECK(h.at("x-sender") == test::commune1);
        CHECK(h.at("x-recipient") == test::district1);
        CHECK(h.at("x-attempt") == "3");
        CHECK(h.at("x-first-failure-reason").rfind("HTTP 503", 0) == 0);
        CHECK(h.at("x-dead-letter-reason").rfind("retries exhausted: HTTP 503", 0) == 0);
        CHECK(dead->body == packets[0]);
        CHECK(dead->delivery_mode == 2);
        CHECK(setup.receiver.received().size() == 3);
        CHECK(setup.receiver.delivered().empty());
        std::cout << "[always fails] attempts: " << setup.receiver.received().size()
                  << ", delivered: 0, dead-lettered: 1 (" << h.at("x-dead-letter-reason") << ")"
                  << std::endl;
    }
    SECTION("a permanent failure (4xx) is dead-lettered without retries") {
        setup.receiver.always_fail(404);
        auto r = test::post_document(bus.port(), test::token_of(test::commune1), packets[1]);
        REQUIRE(r.status == 202);
        const auto dead = next_dead_letter(dead_queue);
        REQUIRE(dead);
        const std::map<std::string, std::string> h(dead->headers.begin(), dead->headers.end());
        CHECK(h.at("x-attempt") == "1");
        CHECK(h.at("x-dead-letter-reason").rfind("permanent failure: HTTP 404", 0) == 0);
        CHECK(setup.receiver.received().size() == 1);
    }
}
