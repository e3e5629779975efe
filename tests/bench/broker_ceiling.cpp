// lienthong-bench-broker PORT ROUTES IN_FLIGHT SECONDS LABEL=FILE...
//
// The broker's own ceiling for the bus's publishing: one rabbitmq-c connection with publisher
// confirms, as fast as the broker confirms, with nothing else to do. For each packet file, every
// document is published ROUTES times (the bus publishes one message per route), persistent and
// mandatory, with the bus's headers, to durable quorum queues of its own (declared with the bus's
// own broker::amqp code, deleted afterwards) on the private node at PORT; up to IN_FLIGHT
// documents are unconfirmed at any time (the load generator's connections), and the publishing
// never waits for a round: confirms are read as they come. A document counts once the broker has
// confirmed all its messages. Prints one JSON object:
// {"LABEL":{"bytes":..,"routes":..,"broker_ceiling_docs_per_s":..},...}. Bench only.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "broker/amqp.hpp"
#include "broker/confirm_tracker.hpp"
#include "broker/publisher_frames.hpp"
#include "core/message_contract.hpp"
#include "packet_file.hpp"

namespace {

using namespace lienthong::bus;
namespace core = lienthong::core;
using broker::publisher_frames::clock;

struct settings {
    int routes = 1;
    int in_flight = 32;
    double seconds = 5;
};

void check(const core::result<void>& r) {
    if (!r) {
        throw std::runtime_error(r.error().message + " (" + r.error().log_detail + ")");
    }
}

/// Handles every frame that arrives within `wait` (then whatever is already there); false if
/// none came.
bool read_confirms(amqp_connection_state_t conn, broker::confirm_tracker& tracker,
                   std::chrono::milliseconds wait, std::atomic<bool>& blocked) {
    timeval tv = broker::amqp::to_timeval(wait);
    bool any = false;
    for (;;) {
        amqp_frame_t frame;
        const int rc = amqp_simple_wait_frame_noblock(conn, &frame, &tv);
        if (rc == AMQP_STATUS_TIMEOUT) {
            break;
        }
        check(broker::amqp::check_status(rc, "reading confirms"));
        check(broker::publisher_frames::handle_frame(
            conn, frame, tracker, clock::now() + std::chrono::seconds(30), blocked));
        tv = timeval{0, 0};
        any = true;
    }
    amqp_maybe_release_buffers(conn);
    return any;
}

/// Confirmed documents per second of wall time for one packet file.
double measure(amqp_connection_state_t conn, const broker::topology& topo,
               const std::vector<std::string>& packets, const settings& s) {
    std::vector<std::shared_ptr<const std::string>> bodies;
    for (const auto& p : packets) {
        bodies.push_back(std::make_shared<const std::string>(p));
    }
    broker::confirm_tracker tracker;
    std::atomic<bool> blocked{false};
    std::uint64_t next_tag = 1;
    long published = 0;
    long confirmed = 0;
    long failed = 0;
    const auto start = clock::now();
    const auto stop = start + std::chrono::duration_cast<clock::duration>(
                                  std::chrono::duration<double>(s.seconds));
    while (clock::now() < stop || published > confirmed + failed) {
        if (clock::now() < stop && published - confirmed - failed < s.in_flight) {
            const long n = published++;
            const std::string id = "bench-" + std::to_string(n);
            std::vector<broker::confirm_tracker::message_key> keys;
            const auto headers =
                core::encode_headers({id,
                                      "000.01.01.H41,2016/10/12,B" + std::to_string(n) + "/UBND-VP",
                                      "000.01.01.H41",
                                      {"000.00.01.H41"},
                                      core::message_kind::edoc,
                                      {},
                                      {},
                                      "valid",
                                      {},
                                      {}});
            const std::uint64_t first = next_tag;
            for (int r = 0; r < s.routes; ++r) {
                const auto& q = topo.queues[static_cast<std::size_t>(r)];
                broker::outgoing_message m{q.routing_key,
                                           bodies[static_cast<std::size_t>(n) % bodies.size()],
                                           id,
                                           headers,
                                           {}};
                check(broker::publisher_frames::publish_one(conn, topo.exchange, m));
                keys.push_back({q.routing_key, id});
                ++next_tag;
            }
            tracker.add(first, std::move(keys),
                        [&](core::result<void> ok) { ok ? ++confirmed : ++failed; });
            (void)read_confirms(conn, tracker, std::chrono::milliseconds(0),
                                blocked);  // what is there
        } else {
            if (!read_confirms(conn, tracker, std::chrono::milliseconds(30'000), blocked)) {
                throw std::runtime_error("the broker confirmed nothing within 30 s");
            }
        }
        for (auto& [done, outcome] : tracker.take_finished()) {
            done(std::move(outcome));
        }
    }
    const double elapsed = std::chrono::duration<double>(clock::now() - start).count();
    if (failed != 0) {
        throw std::runtime_error(std::to_string(failed) + " documents were not confirmed");
    }
    return static_cast<double>(confirmed) / elapsed;
}

void delete_queues(amqp_connection_state_t conn, const broker::topology& topo) {
    for (const auto& q : topo.queues) {
        amqp_queue_delete(conn, broker::amqp::channel, broker::amqp::bytes(q.queue), 0, 0);
        check(broker::amqp::check_reply(amqp_get_rpc_reply(conn), "delete " + q.queue));
    }
}

}  // namespace

int main(int argc, char** argv) try {
    if (argc < 6) {
        std::cerr << "usage: lienthong-bench-broker PORT ROUTES IN_FLIGHT SECONDS LABEL=FILE...\n";
        return 2;
    }
    config::broker_config cfg;
    cfg.port = static_cast<std::uint16_t>(std::stoi(argv[1]));
    cfg.confirm_timeout_ms = 30'000;
    const settings s{std::stoi(argv[2]), std::stoi(argv[3]), std::stod(argv[4])};

    std::string json = "{";
    for (int i = 5; i < argc; ++i) {
        const std::string arg = argv[i];
        const auto eq = arg.find('=');
        const std::string label = arg.substr(0, eq);
        broker::topology topo;
        topo.exchange = "lienthong.bench-ceiling";
        for (int r = 0; r < s.routes; ++r) {
            const std::string name = "lienthong.bench-ceiling." + label + ".r" + std::to_string(r);
            topo.queues.push_back({name, name, "", 0, "", 0});
        }
        auto conn = broker::amqp::open_declared(cfg, topo);
        if (!conn) {
            throw std::runtime_error(conn.error().message + " (" + conn.error().log_detail + ")");
        }
        amqp_confirm_select(conn->get(), broker::amqp::channel);
        check(broker::amqp::check_reply(amqp_get_rpc_reply(conn->get()), "confirm.select"));
        const auto packets = lienthong::bench::read_packets(arg.substr(eq + 1), 16);
        const double rate = measure(conn->get(), topo, packets, s);
        delete_queues(conn->get(), topo);
        broker::amqp::close(conn->get());
        char line[256];
        std::snprintf(line, sizeof line,
                      "%s\"%s\":{\"bytes\":%zu,\"routes\":%d,\"broker_ceiling_docs_per_s\":%.1f}",
                      i == 5 ? "" : ",", label.c_str(), packets.front().size(), s.routes, rate);
        json += line;
    }
    std::cout << json << "}\n";
    return 0;
} catch (const std::exception& e) {
    std::cerr << "lienthong-bench-broker: " << e.what() << '\n';
    return 1;
}
