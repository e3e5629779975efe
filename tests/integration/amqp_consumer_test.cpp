#include "broker/amqp_consumer.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>

#include "broker/amqp_publisher.hpp"
#include "support/eventually.hpp"
#include "support/rabbitmq.hpp"
#include "support/scratch_topology.hpp"

namespace {

using namespace std::chrono_literals;
namespace broker = lienthong::bus::broker;
namespace test = lienthong::test;

lienthong::bus::config::broker_config broker_at(int port) {
    lienthong::bus::config::broker_config cfg;
    cfg.port = static_cast<std::uint16_t>(port);
    cfg.confirm_timeout_ms = 5'000;
    cfg.reconnect_max_ms = 1'000;
    return cfg;
}

/// What the consumer handed out, with the settle functions kept unsettled until the test says.
struct holding_handler {
    std::mutex mutex;
    std::vector<std::size_t> sizes;
    std::vector<broker::settle_fn> unsettled;

    std::size_t received() {
        std::lock_guard lock(mutex);
        return sizes.size();
    }
    void settle_all() {
        std::vector<broker::settle_fn> now;
        {
            std::lock_guard lock(mutex);
            now.swap(unsettled);
        }
        for (auto& settle : now) {
            settle(true);
        }
    }
};

/// Bytes no frame boundary can hide a mistake in: every position differs from its neighbours.
std::string patterned(std::size_t size, unsigned seed) {
    std::string s(size, '\0');
    std::uint32_t x = seed * 2654435761u + 1;
    for (auto& c : s) {
        x = x * 1664525u + 1013904223u;
        c = static_cast<char>(x >> 24);
    }
    return s;
}

void publish_all(int port, const broker::topology& topo,
                 std::vector<broker::outgoing_message> batch) {
    broker::amqp_publisher publisher(broker_at(port), topo);
    publisher.start();
    std::promise<bool> published;
    publisher.publish(std::move(batch),
                      [&](lienthong::core::result<void> r) { published.set_value(r.has_value()); });
    auto done = published.get_future();
    REQUIRE(done.wait_for(20s) == std::future_status::ready);
    REQUIRE(done.get());
    publisher.stop();
}

}  // namespace

TEST_CASE("amqp_consumer: bodies of many frames arrive whole with their id and headers",
          "[integration]") {
    const int port = test::test_amqp_port();
    test::scratch_topology scratch(port, {"agency.a"});
    // Frame size is 128 KiB: 0 frames, 1 frame, exactly 8 frames, 8 frames and one byte.
    const std::vector<std::size_t> sizes{0, 1000, 1024 * 1024, 1024 * 1024 + 1 + 4000};
    std::vector<broker::outgoing_message> batch;
    for (std::size_t i = 0; i < sizes.size(); ++i) {
        batch.push_back({"agency.a",
                         std::make_shared<const std::string>(patterned(sizes[i], i)),
                         "doc-" + std::to_string(i),
                         {{"x-lienthong-sender", "000.01.01.H41"}, {"n", std::to_string(i)}}});
    }
    publish_all(port, scratch.topo, batch);

    std::mutex mutex;
    std::vector<broker::incoming_message> got;
    broker::amqp_consumer consumer(broker_at(port), scratch.topo, {scratch.topo.queues[0].queue},
                                   /*prefetch=*/16, /*max_in_flight_bytes=*/8 << 20,
                                   [&](broker::incoming_message m, broker::settle_fn settle) {
                                       std::lock_guard lock(mutex);
                                       got.push_back(std::move(m));
                                       settle(true);
                                   });
    consumer.start();
    REQUIRE(test::eventually([&] {
        std::lock_guard lock(mutex);
        return got.size() == sizes.size();
    }));
    consumer.stop(5s);
    for (std::size_t i = 0; i < sizes.size(); ++i) {
        const auto& m = got[i];
        CHECK(m.message_id == "doc-" + std::to_string(i));
        CHECK(m.queue == scratch.topo.queues[0].queue);
        CHECK(m.body->size() == sizes[i]);
        CHECK(*m.body == *batch[i].body);
        CHECK(m.header("x-lienthong-sender") == "000.01.01.H41");
        CHECK(m.header("n") == std::to_string(i));
        CHECK_FALSE(m.redelivered);
    }
    CHECK(test::queue_depth(port, scratch.topo.queues[0].queue) == 0);
}

TEST_CASE("amqp_consumer: bodies handed out and not settled stay under max_in_flight_bytes",
          "[integration]") {
    const int port = test::test_amqp_port();
    test::scratch_topology scratch(port, {"agency.a"});
    {
        broker::amqp_publisher publisher(broker_at(port), scratch.topo);
        publisher.start();
        std::vector<broker::outgoing_message> batch;
        for (std::size_t kib : {300, 100, 100, 100, 100}) {
            batch.push_back({"agency.a",
                             std::make_shared<const std::string>(kib * 1024, 'x'),
                             "doc-" + std::to_string(batch.size()),
                             {}});
        }
        std::promise<bool> published;
        publisher.publish(std::move(batch), [&](lienthong::core::result<void> r) {
            published.set_value(r.has_value());
        });
        auto done = published.get_future();
        REQUIRE(done.wait_for(20s) == std::future_status::ready);
        REQUIRE(done.get());
        publisher.stop();
    }

    holding_handler held;
    broker::amqp_consumer consumer(broker_at(port), scratch.topo, {scratch.topo.queues[0].queue},
                                   /*prefetch=*/16,
                                   /*max_in_flight_bytes=*/256 * 1024,
                                   [&](broker::incoming_message m, broker::settle_fn settle) {
                                       std::lock_guard lock(held.mutex);
                                       held.sizes.push_back(m.body->size());
                                       held.unsettled.push_back(std::move(settle));
                                   });
    consumer.start();

    // A message over the budget still passes when nothing else is out; then nothing more.
    REQUIRE(test::eventually([&] { return held.received() >= 1; }));
    std::this_thread::sleep_for(500ms);  // the broker has pushed the rest by now (prefetch 16)
    CHECK(held.received() == 1);

    // Settled: 100 + 100 + 100 KiB are handed out, the third one reaching the budget.
    held.settle_all();
    REQUIRE(test::eventually([&] { return held.received() >= 4; }));
    std::this_thread::sleep_for(500ms);
    CHECK(held.received() == 4);

    held.settle_all();
    REQUIRE(test::eventually([&] { return held.received() == 5; }));
    held.settle_all();
    {
        std::lock_guard lock(held.mutex);
        CHECK(held.sizes ==
              std::vector<std::size_t>{300 * 1024, 100 * 1024, 100 * 1024, 100 * 1024, 100 * 1024});
    }
    consumer.stop(5s);
    CHECK(test::queue_depth(port, scratch.topo.queues[0].queue) == 0);
}
