// Live directory changes (issue 15): on SIGHUP, routes added to, changed in or removed from the
// directory take effect without a restart. Real RabbitMQ, a real bus process, a loopback webhook
// receiver. Each test prints what it counted.
#include <signal.h>

#include <atomic>
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <thread>

#include "support/bus_process.hpp"
#include "support/http_client.hpp"
#include "support/rabbitmq.hpp"
#include "support/test_pki.hpp"
#include "support/webhook_receiver.hpp"

using namespace lienthong;
using namespace std::chrono_literals;

namespace {

const std::string sample_document_id = "000.01.01.H41,2026/11/20,125/UBND-VP";

/// A signed packet from commune1 to district1 with its own DocumentId.
std::string packet_numbered(const std::string& tag, std::size_t i) {
    auto packet = test::read_file(test::sample_path("edoc-new.edxml"));
    const auto at = packet.find(sample_document_id);
    REQUIRE(at != std::string::npos);
    packet.replace(at, sample_document_id.size(),
                   "000.01.01.H41,2026/11/20," + tag + "-" + std::to_string(i) + "/UBND-VP");
    return test::sign_bytes(packet, test::agency_key(test::commune1),
                            test::agency_chain(test::commune1));
}

/// Sends SIGHUP and waits for `event` in the log after that point. Returns the log from there.
std::string hang_up(const test::bus_process& bus, const std::string& event) {
    const auto before = bus.log().size();
    REQUIRE(kill(bus.pid(), SIGHUP) == 0);
    for (int i = 0; i < 1000; ++i) {
        const auto log = bus.log();
        if (log.find(event, before) != std::string::npos) {
            return log.substr(before);
        }
        std::this_thread::sleep_for(20ms);
    }
    FAIL("no " << event << " in the log:\n" << bus.log());
    return {};
}

/// Writes `text` over the directory file, then hang_up().
std::string reload(const test::bus_process& bus, const std::string& path, const std::string& text,
                   const std::string& event = "directory.reloaded") {
    std::ofstream(path) << text;
    return hang_up(bus, event);
}

std::string directory_text(const std::map<std::string, std::string>& subscriptions,
                           const std::string& extra = {}) {
    return test::read_file(test::write_directory(subscriptions, extra));
}

boost::json::value admin_queues(unsigned short port) {
    const auto r = test::http_call(port, "GET", "/v1/admin/queues", {},
                                   {{"Authorization", "Bearer " + test::admin_token()}});
    REQUIRE(r.status == 200);
    return boost::json::parse(r.body);
}

std::string accept(unsigned short port, const std::string& packet) {
    const auto r = test::post_document(port, test::token_of(test::commune1), packet);
    INFO(r.body);
    REQUIRE(r.status == 202);
    return boost::json::parse(r.body).at("id").as_string().c_str();
}

}  // namespace

TEST_CASE("live routes: a subscription added then changed then removed by SIGHUP without a restart",
          "[integration]") {
    test::webhook_receiver receiver;
    // District 1 starts without subscriptions: its implicit inbox route.
    const auto path = test::write_directory({});
    test::bus_process bus(test::delivery_config(test::test_amqp_port(), path,
                                                "delivery:\n  retry_schedule_ms: [3000]\n"));
    const auto webhook_queue_end = std::string(".route.000.00.01.H41.http_webhook");

    // Added: district 1 subscribes a webhook; its new route gets a queue and a consumer, and
    // replaces the implicit inbox route.
    auto log =
        reload(bus, path,
               directory_text({{test::district1, test::webhook_subscription(receiver.url("a"))}}));
    CHECK(log.find("\"added\":\"1\"") != std::string::npos);
    CHECK(log.find("\"removed\":\"1\"") != std::string::npos);
    const auto first = accept(bus.port(), packet_numbered("live", 1));
    REQUIRE(receiver.wait_delivered(1, 30s));
    CHECK(receiver.delivered().at(0).path == "/a");
    CHECK(receiver.delivered().at(0).id == first);

    // Changed: a new url swaps the route's adapter; the queue and consumer stay.
    log =
        reload(bus, path,
               directory_text({{test::district1, test::webhook_subscription(receiver.url("b"))}}));
    CHECK(log.find("\"changed\":\"1\"") != std::string::npos);
    const auto second = accept(bus.port(), packet_numbered("live", 2));
    REQUIRE(receiver.wait_delivered(2, 30s));
    CHECK(receiver.delivered().at(1).path == "/b");
    CHECK(receiver.delivered().at(1).id == second);

    // Removed while a document waits for its retry: the route stops consuming, the document
    // comes back from the retry queue into the route's queue and is kept there, reported.
    receiver.always_fail(503);
    const auto third = accept(bus.port(), packet_numbered("live", 3));
    REQUIRE(receiver.wait_received(3, 30s));
    log = reload(bus, path, directory_text({}), "directory.route_removed");
    CHECK(log.find(webhook_queue_end) != std::string::npos);
    std::int64_t kept = 0;
    std::string retired_queue;
    for (int i = 0; i < 300 && kept == 0; ++i) {
        const auto q = admin_queues(bus.port());
        for (const auto& r : q.at("retired").as_array()) {
            retired_queue = r.at("queue").as_string().c_str();
            kept = r.at("messages").as_int64();
        }
        std::this_thread::sleep_for(50ms);
    }
    CHECK(kept == 1);
    CHECK(retired_queue.find(webhook_queue_end) != std::string::npos);
    const auto metrics = test::http_call(bus.port(), "GET", "/metrics", {},
                                         {{"Authorization", "Bearer " + test::admin_token()}});
    CHECK(metrics.body.find("lienthong_retired_queue_messages{queue=\"" + retired_queue +
                            "\"} 1") != std::string::npos);
    CHECK(receiver.received().size() == 3);  // not consumed again
    // District 1 is back on its inbox route: the next document waits there.
    accept(bus.port(), packet_numbered("live", 4));
    std::vector<std::string> inbox;
    for (int i = 0; i < 300 && inbox.empty(); ++i) {
        inbox = test::inbox_document_ids(bus.port(), test::district1);
        std::this_thread::sleep_for(50ms);
    }
    CHECK(inbox == std::vector<std::string>{"000.01.01.H41,2026/11/20,live-4/UBND-VP"});
    std::cout << "live routes: added, changed, removed; kept in the retired queue: " << kept
              << " (document " << third << ")\n";
}

TEST_CASE("live routes: reloads during a bounded load lose and repeat nothing", "[integration]") {
    test::webhook_receiver receiver;
    const auto path =
        test::write_directory({{test::district1, test::webhook_subscription(receiver.url("a"))}});
    test::bus_process bus(
        test::delivery_config(test::test_amqp_port(), path, "limits:\n  requests_per_minute: 0\n"));
    constexpr std::size_t documents = 300;
    std::vector<std::string> packets;
    for (std::size_t i = 0; i < documents; ++i) {
        packets.push_back(packet_numbered("load", i));
    }
    std::vector<std::string> accepted(documents);
    std::atomic<std::size_t> next{0};
    std::atomic<std::size_t> answered{0};
    std::atomic<bool> failed{false};
    std::vector<std::thread> clients;
    for (int c = 0; c < 3; ++c) {
        clients.emplace_back([&] {
            for (std::size_t i = next++; i < documents; i = next++) {
                const auto r =
                    test::post_document(bus.port(), test::token_of(test::commune1), packets[i]);
                if (r.status != 202) {
                    std::cerr << "unexpected answer " << r.status << ": " << r.body << "\n";
                    failed = true;
                    return;
                }
                accepted[i] = boost::json::parse(r.body).at("id").as_string().c_str();
                ++answered;
            }
        });
    }
    // While it runs: district 1's url changes back and forth (its adapter is swapped with
    // deliveries in flight), and a new agency with a subscription comes and goes.
    const std::string newcomer =
        "  - code: 000.03.01.H41\n    name: New\n    level: commune\n"
        "    parent: 000.00.01.H41\n    subscriptions:\n" +
        test::webhook_subscription(receiver.url("new"));
    int reloads = 0;
    for (std::size_t step = 1; answered < documents && !failed && reloads < 8; ++step) {
        while (answered < step * documents / 10 && !failed) {
            std::this_thread::sleep_for(5ms);
        }
        const auto url = receiver.url(step % 2 == 0 ? "a" : "b");
        reload(bus, path,
               directory_text({{test::district1, test::webhook_subscription(url)}},
                              step % 2 == 0 ? "" : newcomer));
        ++reloads;
    }
    for (auto& c : clients) {
        c.join();
    }
    REQUIRE_FALSE(failed);
    REQUIRE(receiver.wait_delivered(documents, 120s));
    std::this_thread::sleep_for(500ms);  // a late repeat would show up now
    std::map<std::string, int> seen;
    for (const auto& d : receiver.delivered()) {
        ++seen[d.id];
    }
    std::size_t duplicates = 0;
    std::size_t lost = 0;
    for (const auto& [id, n] : seen) {
        duplicates += static_cast<std::size_t>(n - 1);
    }
    for (const auto& id : accepted) {
        lost += seen.count(id) == 0 ? 1 : 0;
    }
    std::cout << "live routes under load: reloads " << reloads << ", accepted " << documents
              << ", delivered " << seen.size() << ", duplicates " << duplicates << ", lost " << lost
              << "\n";
    CHECK(reloads >= 3);
    CHECK(lost == 0);
    CHECK(duplicates == 0);
}

TEST_CASE("live routes: two instances reloading one file serve the same routes", "[integration]") {
    test::webhook_receiver receiver;
    const auto path = test::write_directory({});
    // One config for both: the same broker names, so they consume the same queues.
    const auto config = test::delivery_config(test::test_amqp_port(), path);
    test::bus_process one(config);
    test::bus_process two(config);
    std::ofstream(path) << directory_text(
        {{test::district1, test::webhook_subscription(receiver.url("a"))}},
        "  - code: 000.03.01.H41\n    name: New\n    level: commune\n"
        "    parent: 000.00.01.H41\n");
    hang_up(one, "directory.reloaded");
    hang_up(two, "directory.reloaded");

    // The same route list on both, and each route queue consumed by both instances.
    auto routes_of = [](const boost::json::value& q) {
        std::map<std::string, std::int64_t> out;
        for (const auto& r : q.at("routes").as_array()) {
            out[r.at("route").as_string().c_str()] = r.at("consumers").as_int64();
        }
        return out;
    };
    std::map<std::string, std::int64_t> seen_one;
    std::map<std::string, std::int64_t> seen_two;
    for (int i = 0; i < 200; ++i) {
        seen_one = routes_of(admin_queues(one.port()));
        seen_two = routes_of(admin_queues(two.port()));
        if (seen_one.at("000.00.01.H41.http_webhook") == 2 &&
            seen_one.at("000.03.01.H41.inbox") == 2) {
            break;
        }
        std::this_thread::sleep_for(50ms);
    }
    CHECK(seen_one == seen_two);
    CHECK(seen_one.count("000.00.01.H41.inbox") == 0);
    CHECK(seen_one.at("000.00.01.H41.http_webhook") == 2);
    CHECK(seen_one.at("000.03.01.H41.inbox") == 2);
    // The queue both removed is reported as retired.
    const auto retired = admin_queues(two.port()).at("retired").as_array();
    REQUIRE(retired.size() == 1);
    CHECK(std::string(retired[0].at("queue").as_string().c_str())
              .find(".route.000.00.01.H41.inbox") != std::string::npos);
    const auto id = accept(two.port(), packet_numbered("pair", 1));
    REQUIRE(receiver.wait_delivered(1, 30s));
    CHECK(receiver.delivered().at(0).id == id);
    std::cout << "live routes on two instances: " << seen_one.size()
              << " routes, the same on both\n";
}
