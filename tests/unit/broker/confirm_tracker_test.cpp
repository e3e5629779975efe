#include "broker/confirm_tracker.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <optional>
#include <string>

namespace {

namespace broker = lienthong::bus::broker;
using key = broker::confirm_tracker::message_key;

/// Records the outcome of each batch by name; a second completion of a batch is a test failure.
struct outcomes {
    std::map<std::string, std::optional<std::string>>
        by_batch;  ///< nullopt = success, else message

    broker::publisher::completion done(std::string name) {
        return [this, name](lienthong::core::result<void> r) {
            CHECK(by_batch.count(name) == 0);
            by_batch[name] = r ? std::nullopt : std::optional<std::string>(r.error().message);
        };
    }
    void drain(broker::confirm_tracker& t) {
        for (auto& [done, result] : t.take_finished()) {
            done(std::move(result));
        }
    }
};

}  // namespace

TEST_CASE("confirm_tracker: a batch succeeds only when every tag is acked", "[unit]") {
    broker::confirm_tracker t;
    outcomes o;
    t.add(1, {{"a", "1"}, {"a", "2"}, {"b", "3"}}, o.done("x"));
    t.ack(1, false);
    t.ack(3, false);
    o.drain(t);
    CHECK(o.by_batch.empty());
    CHECK_FALSE(t.idle());
    t.ack(2, false);
    o.drain(t);
    REQUIRE(o.by_batch.count("x") == 1);
    CHECK_FALSE(o.by_batch["x"].has_value());
    CHECK(t.idle());
}

TEST_CASE("confirm_tracker: multiple acks settle every tag up to the given one", "[unit]") {
    broker::confirm_tracker t;
    outcomes o;
    t.add(1, {{"a", "1"}, {"a", "2"}}, o.done("first"));
    t.add(3, {{"a", "3"}, {"a", "4"}}, o.done("second"));
    t.ack(3, true);  // 1..3: first complete, second still waits for 4
    o.drain(t);
    CHECK(o.by_batch.count("first") == 1);
    CHECK(o.by_batch.count("second") == 0);
    t.ack(4, true);
    o.drain(t);
    REQUIRE(o.by_batch.count("second") == 1);
    CHECK_FALSE(o.by_batch["second"].has_value());
    CHECK(t.idle());
}

TEST_CASE("confirm_tracker: a nack fails only the batches it covers", "[unit]") {
    broker::confirm_tracker t;
    outcomes o;
    t.add(1, {{"a", "1"}}, o.done("first"));
    t.add(2, {{"a", "2"}, {"a", "3"}}, o.done("second"));
    t.add(4, {{"a", "4"}}, o.done("third"));
    SECTION("single") {
        t.nack(2, false);
        t.ack(4, true);  // settles 1, 3, 4; 2 already failed
        o.drain(t);
        CHECK_FALSE(o.by_batch.at("first").has_value());
        REQUIRE(o.by_batch.at("second").has_value());
        CHECK_THAT(*o.by_batch.at("second"), Catch::Contains("nack"));
        CHECK_FALSE(o.by_batch.at("third").has_value());
    }
    SECTION("multiple") {
        t.nack(2, true);  // 1 and 2
        t.ack(4, true);
        o.drain(t);
        CHECK(o.by_batch.at("first").has_value());
        CHECK(o.by_batch.at("second").has_value());
        CHECK_FALSE(o.by_batch.at("third").has_value());
    }
    CHECK(t.idle());
}

TEST_CASE("confirm_tracker: a return fails the batch holding that message - after its ack",
          "[unit]") {
    broker::confirm_tracker t;
    outcomes o;
    t.add(1, {{"a", "1"}, {"nowhere", "2"}}, o.done("bad"));
    t.add(3, {{"nowhere", "9"}}, o.done("other"));
    t.returned("nowhere", "2", "312 NO_ROUTE");
    o.drain(t);
    CHECK(o.by_batch.empty());  // still waiting for the broker's ack of the returned message
    t.ack(3, true);
    o.drain(t);
    REQUIRE(o.by_batch.at("bad").has_value());
    CHECK_THAT(*o.by_batch.at("bad"), Catch::Contains("312 NO_ROUTE"));
    CHECK_FALSE(o.by_batch.at("other").has_value());
}

TEST_CASE("confirm_tracker: fail_all fails every outstanding batch once", "[unit]") {
    broker::confirm_tracker t;
    outcomes o;
    t.add(1, {{"a", "1"}}, o.done("done-before"));
    t.add(2, {{"a", "2"}}, o.done("lost"));
    t.ack(1, false);
    t.fail_all(lienthong::core::fail(lienthong::core::errc::broker_unavailable, "connection lost"));
    t.ack(2, false);  // late confirm after the failure decides nothing
    o.drain(t);
    CHECK_FALSE(o.by_batch.at("done-before").has_value());
    REQUIRE(o.by_batch.at("lost").has_value());
    CHECK(*o.by_batch.at("lost") == "connection lost");
    CHECK(o.by_batch.size() == 2);
    CHECK(t.idle());
}

TEST_CASE("confirm_tracker: an empty batch succeeds at once", "[unit]") {
    broker::confirm_tracker t;
    outcomes o;
    t.add(1, {}, o.done("empty"));
    o.drain(t);
    REQUIRE(o.by_batch.count("empty") == 1);
    CHECK_FALSE(o.by_batch["empty"].has_value());
    CHECK(t.idle());
}

TEST_CASE("confirm_tracker: a timed-out batch is answered at once - its late confirm follows",
          "[unit]") {
    broker::confirm_tracker t;
    outcomes o;
    t.add(1, {{"a", "1"}, {"a", "2"}}, o.done("x"), o.done("x-late"));
    t.add(3, {{"b", "3"}}, o.done("y"));  // no late completion
    CHECK(t.awaiting_answer());
    t.time_out(lienthong::core::fail(lienthong::core::errc::broker_unavailable, "timed out"));
    o.drain(t);
    CHECK(o.by_batch["x"] == std::optional<std::string>("timed out"));
    CHECK(o.by_batch["y"] == std::optional<std::string>("timed out"));
    CHECK_FALSE(t.awaiting_answer());
    CHECK_FALSE(t.idle());  // still tracked: the broker may confirm yet

    SECTION("late acks give the late completion success - once") {
        t.ack(2, true);
        t.ack(3, false);
        o.drain(t);
        REQUIRE(o.by_batch.count("x-late") == 1);
        CHECK_FALSE(o.by_batch["x-late"].has_value());
        CHECK(o.by_batch.size() == 3);  // y has no late completion, and x was not answered twice
        CHECK(t.idle());
    }
    SECTION("a lost connection gives the late completion the failure") {
        t.fail_all(lienthong::core::fail(lienthong::core::errc::broker_unavailable, "lost"));
        o.drain(t);
        CHECK(o.by_batch["x-late"] == std::optional<std::string>("lost"));
        CHECK(t.idle());
    }
    SECTION("a batch added after the timeout is awaited normally") {
        t.add(4, {{"c", "4"}}, o.done("z"), o.done("z-late"));
        CHECK(t.awaiting_answer());
        t.ack(4, false);
        o.drain(t);
        CHECK_FALSE(o.by_batch["z"].has_value());
        CHECK(o.by_batch.count("z-late") == 0);
        CHECK_FALSE(t.awaiting_answer());
    }
}

TEST_CASE("confirm_tracker: a nack is remembered until taken so the publisher reconnects",
          "[unit]") {
    broker::confirm_tracker t;
    outcomes o;
    t.add(1, {{"a", "1"}}, o.done("x"));
    t.add(2, {{"a", "2"}}, o.done("y"));
    t.ack(1, false);
    CHECK_FALSE(t.take_nacked());  // acks alone keep the channel
    t.nack(2, false);
    o.drain(t);
    CHECK(t.idle());
    CHECK(t.take_nacked());
    CHECK_FALSE(t.take_nacked());  // taken once
}
