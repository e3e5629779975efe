#include "broker/amqp_publisher.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <future>
#include <iostream>
#include <memory>
#include <thread>

#include "support/rabbitmq.hpp"
#include "support/scratch_topology.hpp"

namespace {

using namespace std::chrono_literals;
namespace broker = lienthong::bus::broker;
namespace core = lienthong::core;
namespace test = lienthong::test;

using test::scratch_topology;

broker::amqp_publisher make_publisher(int port, const broker::topology& topo,
                                      std::size_t max_message_bytes = 128 * 1024 * 1024) {
    lienthong::bus::config::broker_config cfg;
    cfg.port = static_cast<std::uint16_t>(port);
    cfg.max_message_bytes = max_message_bytes;
    cfg.confirm_timeout_ms = 5'000;
    cfg.reconnect_max_ms = 1'000;
    return broker::amqp_publisher(cfg, topo);
}

bool wait_connected(const broker::publisher& p, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!p.connected()) {
        if (std::chrono::steady_clock::now() > deadline) {
            return false;
        }
        std::this_thread::sleep_for(10ms);
    }
    return true;
}

/// Publishes and waits for the completion (bounded, so a lost completion fails instead of hanging).
core::result<void> publish_and_wait(broker::publisher& p,
                                    std::vector<broker::outgoing_message> batch) {
    auto promise = std::make_shared<std::promise<core::result<void>>>();
    auto future = promise->get_future();
    p.publish(std::move(batch),
              [promise](core::result<void> r) { promise->set_value(std::move(r)); });
    REQUIRE(future.wait_for(15s) == std::future_status::ready);
    return future.get();
}

broker::outgoing_message message(std::string key, std::string body, std::string id,
                                 std::vector<std::pair<std::string, std::string>> headers = {}) {
    return {std::move(key), std::make_shared<const std::string>(std::move(body)), std::move(id),
            std::move(headers)};
}

}  // namespace

TEST_CASE("amqp_publisher: a confirmed batch lands persistently in its quorum queues",
          "[integration]") {
    const int port = test::test_amqp_port();
    scratch_topology scratch(port, {"agency.a", "agency.b"});
    const auto& qa = scratch.topo.queues[0].queue;
    const auto& qb = scratch.topo.queues[1].queue;

    auto publisher = make_publisher(port, scratch.topo);
    publisher.start();
    REQUIRE(wait_connected(publisher, 15s));

    auto r = publish_and_wait(
        publisher, {message("agency.a", "<edXML>1</edXML>", "doc-1", {{"x-from", "000.00.00.H41"}}),
                    message("agency.a", "<edXML>2</edXML>", "doc-2",
                            {{"x-from", "000.00.01.H41"}, {"x-type", "edoc"}}),
                    message("agency.b", "<edXML>3</edXML>", "doc-3")});
    REQUIRE(r.has_value());
    CHECK(test::queue_depth(port, qa) == 2);
    CHECK(test::queue_depth(port, qb) == 1);

    auto m1 = test::basic_get(port, qa);
    REQUIRE(m1);
    CHECK(m1->body == "<edXML>1</edXML>");
    CHECK(m1->message_id == "doc-1");
    CHECK(m1->delivery_mode == 2);
    CHECK(m1->content_type == "application/xml");
    CHECK(m1->headers ==
          std::vector<std::pair<std::string, std::string>>{{"x-from", "000.00.00.H41"}});

    auto m2 = test::basic_get(port, qa);
    REQUIRE(m2);
    CHECK(m2->body == "<edXML>2</edXML>");
    CHECK(m2->message_id == "doc-2");
    CHECK(m2->headers == std::vector<std::pair<std::string, std::string>>{
                             {"x-from", "000.00.01.H41"}, {"x-type", "edoc"}});
    CHECK_FALSE(test::basic_get(port, qa));

    auto m3 = test::basic_get(port, qb);
    REQUIRE(m3);
    CHECK(m3->body == "<edXML>3</edXML>");
    CHECK(m3->message_id == "doc-3");
    CHECK(m3->delivery_mode == 2);
    CHECK(m3->headers.empty());

    publisher.stop();
    CHECK_FALSE(publisher.connected());
}

TEST_CASE("amqp_publisher: an unroutable message fails its batch only", "[integration]") {
    const int port = test::test_amqp_port();
    scratch_topology scratch(port, {"agency.a"});
    const auto& qa = scratch.topo.queues[0].queue;

    auto publisher = make_publisher(port, scratch.topo);
    publisher.start();
    REQUIRE(wait_connected(publisher, 15s));

    // Two batches in flight together: the return must be pinned on the right one.
    auto bad = std::make_shared<std::promise<core::result<void>>>();
    auto good = std::make_shared<std::promise<core::result<void>>>();
    auto bad_done = bad->get_future();
    auto good_done = good->get_future();
    publisher.publish(
        {message("agency.a", "<ok/>", "doc-ok"), message("nobody.here", "<lost/>", "doc-lost")},
        [bad](core::result<void> r) { bad->set_value(std::move(r)); });
    publisher.publish({message("agency.a", "<fine/>", "doc-fine")},
                      [good](core::result<void> r) { good->set_value(std::move(r)); });
    REQUIRE(bad_done.wait_for(15s) == std::future_status::ready);
    REQUIRE(good_done.wait_for(15s) == std::future_status::ready);

    auto bad_result = bad_done.get();
    REQUIRE_FALSE(bad_result.has_value());
    CHECK(bad_result.error().code == core::errc::broker_unavailable);
    CHECK_THAT(bad_result.error().message,
               Catch::Contains("NO_ROUTE") && Catch::Contains("nobody.here"));
    CHECK(good_done.get().has_value());

    // The channel survives a return: the next batch is confirmed normally.
    CHECK(publish_and_wait(publisher, {message("agency.a", "<after/>", "doc-after")}).has_value());
    CHECK(publisher.connected());
    CHECK(test::queue_depth(port, qa) == 3);  // the routable part of a failed batch may land
}

TEST_CASE("amqp_publisher: a message over broker.max_message_bytes fails its own batch only",
          "[integration]") {
    const int port = test::test_amqp_port();
    scratch_topology scratch(port, {"agency.a", "agency.b"});
    auto publisher = make_publisher(port, scratch.topo, 1024);
    publisher.start();
    REQUIRE(wait_connected(publisher, 15s));

    // Another agency's batch in flight at the same moment must not hear of it.
    auto big = std::make_shared<std::promise<core::result<void>>>();
    auto other = std::make_shared<std::promise<core::result<void>>>();
    auto big_done = big->get_future();
    auto other_done = other->get_future();
    publisher.publish({message("agency.a", "<small/>", "doc-small"),
                       message("agency.a", std::string(1025, 'x'), "doc-big")},
                      [big](core::result<void> r) { big->set_value(std::move(r)); });
    publisher.publish({message("agency.b", std::string(1024, 'y'), "doc-other")},
                      [other](core::result<void> r) { other->set_value(std::move(r)); });
    REQUIRE(big_done.wait_for(15s) == std::future_status::ready);
    REQUIRE(other_done.wait_for(15s) == std::future_status::ready);

    auto refused = big_done.get();
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code == core::errc::payload_too_large);
    CHECK(refused.error().message ==
          "the packet is 1025 bytes, over the broker's limit of 1024 bytes");
    CHECK(other_done.get().has_value());
    // Nothing of the refused batch was sent, and the channel carries on.
    CHECK(test::queue_depth(port, scratch.topo.queues[0].queue) == 0);
    CHECK(test::queue_depth(port, scratch.topo.queues[1].queue) == 1);
    CHECK(publish_and_wait(publisher, {message("agency.a", "<after/>", "doc-after")}).has_value());
    CHECK(publisher.connected());
}

TEST_CASE("amqp_publisher: 1000 messages in 100 concurrent batches", "[integration]") {
    const int port = test::test_amqp_port();
    scratch_topology scratch(port, {"agency.a"});
    auto publisher = make_publisher(port, scratch.topo);
    publisher.start();
    REQUIRE(wait_connected(publisher, 15s));

    constexpr int batches = 100;
    constexpr int per_batch = 10;
    const auto body = std::make_shared<const std::string>(std::string(2'000, 'x'));
    std::vector<std::future<core::result<void>>> futures;
    const auto started = std::chrono::steady_clock::now();
    for (int b = 0; b < batches; ++b) {
        std::vector<broker::outgoing_message> batch;
        for (int i = 0; i < per_batch; ++i) {
            batch.push_back({"agency.a", body, "doc-" + std::to_string(b * per_batch + i), {}});
        }
        auto promise = std::make_shared<std::promise<core::result<void>>>();
        futures.push_back(promise->get_future());
        publisher.publish(std::move(batch),
                          [promise](core::result<void> r) { promise->set_value(std::move(r)); });
    }
    int ok = 0;
    for (auto& f : futures) {
        REQUIRE(f.wait_for(30s) == std::future_status::ready);
        ok += f.get().has_value() ? 1 : 0;
    }
    const auto seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    CHECK(ok == batches);
    CHECK(test::queue_depth(port, scratch.topo.queues[0].queue) == batches * per_batch);
    std::cout << "amqp_publisher throughput: " << batches * per_batch << " confirmed messages ("
              << batches << " batches) in " << seconds
              << " s = " << static_cast<int>(batches * per_batch / seconds) << " msg/s\n";
}
