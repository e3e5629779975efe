// The delivery decisions (ack, retry step, dead letter, redelivery skip) with an in-memory
// publisher, a scripted adapter and a real SQLite tracking store.
#include "delivery/dispatcher.hpp"

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <map>
#include <mutex>
#include <thread>

#include "fakes/fake_publisher.hpp"
#include "store/sqlite_tracking_store.hpp"
#include "support/bus_process.hpp"

using namespace lienthong;
using namespace std::chrono_literals;
namespace delivery = bus::delivery;

namespace {

/// Answers with the scripted outcomes in order (the last one repeats) and counts its calls.
class scripted_adapter final : public adapters::adapter {
  public:
    explicit scripted_adapter(std::vector<adapters::delivery_result> script)
        : script_(std::move(script)) {}
    adapters::delivery_result deliver(const adapters::delivery& d) override {
        std::this_thread::sleep_for(delay);  // a slow receiver, outside the lock
        std::lock_guard lock(mutex_);
        seen.push_back(d);
        const auto i = std::min(seen.size(), script_.size()) - 1;
        return script_[i];
    }
    std::vector<adapters::delivery> seen;
    std::chrono::milliseconds delay{0};

  private:
    std::mutex mutex_;
    std::vector<adapters::delivery_result> script_;
};

struct fixture {
    explicit fixture(std::vector<adapters::delivery_result> script,
                     std::vector<std::chrono::milliseconds> route_schedule = {})
        : store(test::make_temp_dir("lienthong-dispatch") + "/tracking.db") {
        auto a = std::make_unique<scripted_adapter>(std::move(script));
        adapter = a.get();
        std::vector<delivery::route_binding> routes;
        routes.push_back({{"000.00.01.H41.http_webhook",
                           "000.00.01.H41",
                           "http_webhook",
                           {},
                           std::move(route_schedule),
                           "agencies[1].subscriptions[0]"},
                          std::move(a)});
        engine = std::make_unique<delivery::dispatcher>(
            names, std::move(routes), std::vector<std::chrono::milliseconds>{5s, 30s}, publisher,
            store, 2);
        engine->start();
    }

    /// Hands one message to the engine, waits for the workers and returns the settlement.
    std::optional<bool> run(std::vector<std::pair<std::string, std::string>> extra_headers = {}) {
        return run_copies(1, std::move(extra_headers));
    }

    /// Hands `copies` copies of one message to the engine at once (a document published twice);
    /// returns the settlement if they all settled alike.
    std::optional<bool> run_copies(
        int copies, std::vector<std::pair<std::string, std::string>> extra_headers = {}) {
        bus::broker::incoming_message m;
        m.queue = names.route_queue("000.00.01.H41.http_webhook");
        m.routing_key = "000.00.01.H41.http_webhook";
        m.body = std::make_shared<const std::string>("<edXML/>");
        m.message_id = "doc-1";
        m.headers = {{"x-document-id", "doc-1"},
                     {"x-edxml-document-id", "000.01.01.H41,2026/11/20,125/UBND-VP"},
                     {"x-sender", "000.01.01.H41"},
                     {"x-recipient", "000.00.01.H41"}};
        for (auto& h : extra_headers) {
            m.headers.push_back(std::move(h));
        }
        std::mutex settled_mutex;
        std::vector<bool> settled;
        for (int i = 0; i < copies; ++i) {
            engine->handle(m, [&](bool ack) {
                std::lock_guard lock(settled_mutex);
                settled.push_back(ack);
            });
        }
        engine->stop();                                             // joins the workers
        CHECK(settled.size() == static_cast<std::size_t>(copies));  // each settled exactly once
        if (settled.empty() || std::count(settled.begin(), settled.end(), settled[0]) != copies) {
            return std::nullopt;
        }
        return settled[0];
    }

    std::map<std::string, std::string> forwarded_headers() const {
        REQUIRE(publisher.batches.size() == 1);
        REQUIRE(publisher.batches[0].size() == 1);
        const auto& h = publisher.batches[0][0].headers;
        return {h.begin(), h.end()};
    }

    const bus::routing::naming names{"x", "p"};
    test::fake_publisher publisher;
    bus::store::sqlite_tracking_store store;
    scripted_adapter* adapter = nullptr;
    std::unique_ptr<delivery::dispatcher> engine;
};

using adapters::outcome;

}  // namespace

TEST_CASE("dispatcher: a delivered document is recorded - then acked", "[unit]") {
    fixture f({{outcome::delivered, ""}});
    CHECK(f.run() == true);
    REQUIRE(f.adapter->seen.size() == 1);
    CHECK(f.adapter->seen[0].id == "doc-1");
    CHECK(f.adapter->seen[0].recipients == std::vector<std::string>{"000.00.01.H41"});
    CHECK(f.adapter->seen[0].attempt == 1);
    CHECK(*f.adapter->seen[0].packet == "<edXML/>");
    CHECK(f.publisher.batches.empty());
    auto delivered = f.store.is_delivered("doc-1", "000.00.01.H41.http_webhook");
    REQUIRE(delivered);
    CHECK(*delivered);
}

TEST_CASE("dispatcher: a redelivery of a delivered document is acked without a second delivery",
          "[unit]") {
    fixture f({{outcome::delivered, ""}});
    REQUIRE(f.store.mark_delivered("doc-1", "000.00.01.H41.http_webhook",
                                   {"doc-1", "delivered", "000.00.01.H41.http_webhook", "", 0}));
    CHECK(f.run() == true);
    CHECK(f.adapter->seen.empty());
}

TEST_CASE("dispatcher: a retryable failure goes to the next retry step - then is acked", "[unit]") {
    fixture f({{outcome::retryable_failure, "HTTP 503"}});
    SECTION("first attempt: the first step's exchange, attempt 2, both reasons") {
        CHECK(f.run() == true);
        const auto& m = f.publisher.batches.at(0).at(0);
        CHECK(m.exchange == "p.retry.5000ms");
        CHECK(m.routing_key == "000.00.01.H41.http_webhook");  // comes back to its route
        CHECK(*m.body == "<edXML/>");
        auto h = f.forwarded_headers();
        CHECK(h.at("x-attempt") == "2");
        CHECK(h.at("x-first-failure-reason") == "HTTP 503");
        CHECK(h.at("x-last-failure-reason") == "HTTP 503");
        CHECK(h.at("x-document-id") == "doc-1");
        CHECK(h.at("x-recipient") == "000.00.01.H41");
    }
    SECTION("second attempt: the second step; the first failure reason is kept") {
        CHECK(f.run({{"x-attempt", "2"}, {"x-first-failure-reason", "timed out"}}) == true);
        CHECK(f.publisher.batches.at(0).at(0).exchange == "p.retry.30000ms");
        auto h = f.forwarded_headers();
        CHECK(h.at("x-attempt") == "3");
        CHECK(h.at("x-first-failure-reason") == "timed out");
        CHECK(h.at("x-last-failure-reason") == "HTTP 503");
        CHECK(f.adapter->seen.at(0).attempt == 2);
    }
    SECTION("steps exhausted: the dead-letter exchange with the reason") {
        CHECK(f.run({{"x-attempt", "3"}}) == true);
        CHECK(f.publisher.batches.at(0).at(0).exchange == "p.dead");
        auto h = f.forwarded_headers();
        CHECK(h.at("x-attempt") == "3");
        CHECK(h.at("x-dead-letter-reason") == "retries exhausted: HTTP 503");
        auto delivered = f.store.is_delivered("doc-1", "000.00.01.H41.http_webhook");
        REQUIRE(delivered);
        CHECK_FALSE(*delivered);
    }
}

TEST_CASE("dispatcher: a route's own retry schedule replaces the default", "[unit]") {
    fixture f({{outcome::retryable_failure, "down"}}, {1500ms});
    CHECK(f.run() == true);
    CHECK(f.publisher.batches.at(0).at(0).exchange == "p.retry.1500ms");
}

TEST_CASE("dispatcher: a permanent failure is dead-lettered at once", "[unit]") {
    fixture f({{outcome::permanent_failure, "HTTP 404: no such agency"}});
    CHECK(f.run() == true);
    CHECK(f.publisher.batches.at(0).at(0).exchange == "p.dead");
    CHECK(f.forwarded_headers().at("x-dead-letter-reason") ==
          "permanent failure: HTTP 404: no such agency");
}

TEST_CASE("dispatcher: when the broker does not confirm the copy - the original is requeued",
          "[unit]") {
    fixture f({{outcome::retryable_failure, "HTTP 503"}});
    f.publisher.up = false;
    CHECK(f.run() == false);
}

TEST_CASE("dispatcher: two copies of one document at once reach the receiver once", "[unit]") {
    // A document published again after an unconfirmed first publish is in its queue twice; two
    // workers take both copies while the receiver is still answering the first.
    fixture f({{outcome::delivered, ""}});
    f.adapter->delay = 200ms;
    CHECK(f.run_copies(2) == true);  // both acked
    CHECK(f.adapter->seen.size() == 1);
    auto delivered = f.store.is_delivered("doc-1", "000.00.01.H41.http_webhook");
    REQUIRE(delivered);
    CHECK(*delivered);
}
