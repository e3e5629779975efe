// Issue 15: two bus instances on a three-node RabbitMQ cluster and one PostgreSQL, run for real
// on loopback. During a bounded load the node leading the busiest quorum queue and one bus
// instance are SIGKILLed (the instance is started again); afterwards every document answered
// 2xx must be delivered exactly once and readable, acknowledgeable and tracked through either
// instance, and a dead letter replayed on one instance is delivered by whichever consumes it.
#include <signal.h>

#include <algorithm>
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <set>
#include <thread>

#include "cluster/cluster_support.hpp"
#include "support/bus_process.hpp"
#include "support/http_client.hpp"
#include "support/private_postgresql.hpp"
#include "support/rabbitmq_cluster.hpp"
#include "support/webhook_receiver.hpp"

using namespace lienthong;
using namespace std::chrono_literals;

namespace {

using headers = std::vector<std::pair<std::string, std::string>>;

headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

/// http_call as a well-behaved agency system makes it: a 429 (the per-agency rate limit; the
/// drain and the journey checks make hundreds of calls with one token) waits out Retry-After
/// and asks again.
test::http_reply patient_call(unsigned short port, const std::string& method,
                              const std::string& target, const headers& h) {
    for (int attempt = 0;; ++attempt) {
        auto r = test::http_call(port, method, target, {}, h);
        if (r.status != 429 || attempt == 60) {
            return r;
        }
        const auto it = r.headers.find("retry-after");
        std::this_thread::sleep_for(std::chrono::seconds(
            it == r.headers.end() ? 1 : std::max(1, std::atoi(it->second.c_str()))));
    }
}

constexpr std::size_t documents = 600;

/// What draining an inbox saw: how often each bus id was listed, and the reads and acks that
/// did not succeed.
struct drained {
    std::map<std::string, int> listed;
    std::size_t failed_reads = 0;
    std::size_t failed_acks = 0;
};

/// Until every accepted document of `agency` was listed: lists its inbox, reads and acks each
/// document, through the instances in turn (listed on one, read on the next, acked on the next).
drained drain_inbox(const std::string& agency, std::size_t expected,
                    const std::vector<unsigned short>& ports) {
    drained out;
    std::size_t turn = 0;
    const auto who = bearer(test::token_of(agency));
    const auto deadline = std::chrono::steady_clock::now() + 180s;
    while (out.listed.size() < expected && std::chrono::steady_clock::now() < deadline) {
        auto listed = patient_call(ports[turn++ % ports.size()], "GET", "/v1/inbox", who);
        REQUIRE(listed.status == 200);
        const auto docs = boost::json::parse(listed.body).at("documents").as_array();
        if (docs.empty()) {
            std::this_thread::sleep_for(500ms);
            continue;
        }
        for (const auto& d : docs) {
            const std::string id(d.at("id").as_string());
            ++out.listed[id];
            auto read = patient_call(ports[turn++ % ports.size()], "GET", "/v1/inbox/" + id, who);
            if (read.status != 200 || read.body.find("<DocumentId>") == std::string::npos) {
                ++out.failed_reads;
            }
            auto acked =
                patient_call(ports[turn++ % ports.size()], "POST", "/v1/inbox/" + id + "/ack", who);
            out.failed_acks += acked.status == 204 ? 0 : 1;
        }
    }
    return out;
}

/// The journey of `id` through `port` as the sender sees it: its state and delivered events.
std::pair<std::string, int> journey(unsigned short port, const std::string& id) {
    auto r =
        patient_call(port, "GET", "/v1/documents/" + id, bearer(test::token_of(test::commune1)));
    INFO(r.body);
    REQUIRE(r.status == 200);
    const auto j = boost::json::parse(r.body).as_object();
    int delivered = 0;
    for (const auto& e : j.at("events").as_array()) {
        delivered += e.at("kind").as_string() == "delivered" ? 1 : 0;
    }
    return {std::string(j.at("state").as_string()), delivered};
}

/// The route queue of `agency`'s pull inbox under `prefix` (the busiest by construction).
std::string inbox_queue(const test::rabbitmq_cluster& cluster, const std::string& prefix,
                        const std::string& agency) {
    for (const auto& [name, depth] : cluster.queue_depths()) {
        if (name.rfind(prefix, 0) == 0 && name.find(agency + ".inbox") != std::string::npos) {
            return name;
        }
    }
    return {};
}

std::string dead_letter_of(unsigned short port, const std::string& id) {
    for (int i = 0; i < 600; ++i) {
        auto r =
            test::http_call(port, "GET", "/v1/admin/dead-letters", {}, bearer(test::admin_token()));
        if (r.status == 200 && r.body.find(id) != std::string::npos) {
            return r.body;
        }
        std::this_thread::sleep_for(100ms);
    }
    return {};
}

}  // namespace

TEST_CASE(
    "cluster: two instances on three RabbitMQ nodes lose and duplicate nothing when a node "
    "and an instance are killed",
    "[cluster]") {
    test::rabbitmq_cluster cluster;
    test::private_postgresql pg;
    test::webhook_receiver receiver;  // the province's webhook: the dead letter to replay
    const auto directory = test::write_directory(
        {{test::province, test::webhook_subscription(receiver.url("province"))}});
    const auto config = test::cluster::cluster_config(cluster, directory, pg.url(),
                                                      "delivery:\n  retry_schedule_ms: [200]\n");
    std::optional<test::bus_process> a(std::in_place, config, 120s);
    std::optional<test::bus_process> b(std::in_place, config, 120s);
    std::atomic<int> port_a{a->port()};
    std::atomic<int> port_b{b->port()};

    // Two thirds to district1 (the busiest route), a third to district2; all from commune1.
    std::vector<std::array<std::string, 3>> packets;
    for (std::size_t i = 0; i < documents; ++i) {
        const std::string to = i % 3 == 2 ? test::district2 : test::district1;
        const auto document_id = "000.01.01.H41,2026/12/01," + std::to_string(i) + "/CL";
        packets.push_back(
            {test::commune1, to, test::cluster::edoc(test::commune1, to, document_id)});
    }
    const auto busiest =
        inbox_queue(cluster, test::queue_prefix_of(config), std::string(test::district1));
    REQUIRE_FALSE(busiest.empty());
    // Looked up before the load: rabbitmqctl takes seconds, and no leader moves without a fault.
    const int leader = cluster.leader_of(busiest);
    REQUIRE(leader >= 0);

    // Paced (4 threads, 40 ms between documents each: about 20 s on two cores) so that both
    // faults land in the middle of the load; the counts at each fault are checked below.
    std::atomic<std::size_t> answered{0};
    test::cluster::load_result load;
    std::atomic<bool> load_over{false};
    std::thread client([&] {
        load = test::cluster::run_load(packets, {&port_a, &port_b}, 4, answered, 40ms);
        load_over = true;  // also when a client thread gave up: the faults must not wait forever
    });
    auto wait_answered = [&](std::size_t n) {
        while (answered < n && !load_over) {
            std::this_thread::sleep_for(20ms);
        }
        return answered.load();
    };
    const auto at_node_kill = wait_answered(documents / 4);
    cluster.kill_node(leader);
    const auto at_bus_kill = wait_answered(documents / 2);
    kill(b->pid(), SIGKILL);
    port_b = 0;
    b.reset();
    b.emplace(config, 120s);
    port_b = b->port();
    client.join();
    const auto tail = [](const std::string& log) {
        return log.substr(log.size() > 6000 ? log.size() - 6000 : 0);
    };
    INFO("instance a:\n" << tail(a->log()) << "\ninstance b:\n" << tail(b->log()));
    INFO("the load client: " << load.error);
    REQUIRE(load.error.empty());
    CHECK(at_node_kill < documents);  // the faults came during the load, not after it
    CHECK(at_bus_kill < documents);
    REQUIRE(load.refused == 0);
    REQUIRE(load.accepted == documents);

    // Every accepted document: listed once, read and acked through the instances in turn.
    const std::vector<unsigned short> ports{a->port(), b->port()};
    std::size_t delivered = 0;
    std::size_t duplicates = 0;
    std::size_t lost = 0;
    std::size_t failed_reads = 0;
    std::size_t failed_acks = 0;
    for (const auto& [agency, ids] : load.accepted_by_recipient) {
        const auto inbox = drain_inbox(agency, ids.size(), ports);
        failed_reads += inbox.failed_reads;
        failed_acks += inbox.failed_acks;
        const auto& seen = inbox.listed;
        for (const auto& id : ids) {
            const auto it = seen.find(id);
            if (it == seen.end()) {
                ++lost;
                continue;
            }
            ++delivered;
            duplicates += static_cast<std::size_t>(it->second - 1);
        }
    }
    // Journeys through either instance: delivered, with exactly one delivered event.
    std::size_t incomplete = 0;
    std::size_t turn = 0;
    for (const auto& [agency, ids] : load.accepted_by_recipient) {
        for (const auto& id : ids) {
            const auto [state, delivered_events] = journey(ports[turn++ % 2], id);
            incomplete += state == "delivered" ? 0 : 1;
            duplicates += delivered_events > 1 ? static_cast<std::size_t>(delivered_events - 1) : 0;
        }
    }
    std::cout << "cluster: accepted " << load.accepted << " delivered " << delivered
              << " duplicates " << duplicates << " lost " << lost << " (retried posts "
              << load.failed_posts << ", node killed " << cluster.node_names()[leader]
              << ", journeys incomplete " << incomplete << ", failed reads " << failed_reads
              << ", failed acks " << failed_acks << "; faults at " << at_node_kill << " and "
              << at_bus_kill << " answered)" << std::endl;
    CHECK(delivered == load.accepted);
    CHECK(lost == 0);
    CHECK(duplicates == 0);
    CHECK(incomplete == 0);
    CHECK(failed_reads == 0);
    CHECK(failed_acks == 0);

    // A dead letter replayed on instance b is delivered by whichever instance consumes it.
    receiver.always_fail(400);
    const auto dead_letter_packet =
        test::cluster::edoc(test::commune1, test::province, "000.01.01.H41,2026/12/01,DL/CL");
    auto posted =
        test::post_document(a->port(), test::token_of(test::commune1), dead_letter_packet);
    for (int i = 0; i < 30 && posted.status == 429; ++i) {  // the journey checks used the bucket
        std::this_thread::sleep_for(1s);
        posted = test::post_document(a->port(), test::token_of(test::commune1), dead_letter_packet);
    }
    REQUIRE(posted.status == 202);
    const std::string id(boost::json::parse(posted.body).at("id").as_string());
    REQUIRE_FALSE(dead_letter_of(a->port(), id).empty());
    receiver.always_fail(0);
    auto replayed = test::http_call(b->port(), "POST", "/v1/admin/dead-letters/" + id + "/replay",
                                    {}, bearer(test::admin_token()));
    INFO(replayed.body);
    REQUIRE(replayed.status == 200);
    REQUIRE(receiver.wait_delivered(1, 60s));
    CHECK(receiver.delivered().back().id == id);
    std::string state;
    for (int i = 0; i < 200 && state != "delivered"; ++i) {
        state = journey(ports[i % 2], id).first;
        std::this_thread::sleep_for(100ms);
    }
    CHECK(state == "delivered");
}
