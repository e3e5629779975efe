// Route changes in a running dispatcher (a directory reload): a route added is served, a
// changed route's adapter swaps in while a delivery in flight finishes on the old one, and a
// removed route's messages are requeued (they stay in its queue), never delivered or dropped.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <mutex>
#include <thread>

#include "delivery/dispatcher.hpp"
#include "fakes/fake_publisher.hpp"
#include "store/sqlite_tracking_store.hpp"
#include "support/bus_process.hpp"

using namespace lienthong;
using namespace std::chrono_literals;
namespace delivery = bus::delivery;

namespace {

const std::string route = "000.00.01.H41.http_webhook";

/// What one adapter did; outlives it (the dispatcher destroys adapters it no longer needs).
struct adapter_counts {
    std::atomic<int> started{0};
    std::atomic<int> stopped{0};
    std::atomic<int> delivered{0};
    std::atomic<int> stopped_with{-1};  ///< deliveries finished when stop() came
};

/// Delivers after `delay`, counting into `counts`.
class counting_adapter final : public adapters::adapter {
  public:
    counting_adapter(std::chrono::milliseconds delay, std::shared_ptr<adapter_counts> counts)
        : delay_(delay), counts_(std::move(counts)) {}
    void start() override { ++counts_->started; }
    adapters::delivery_result deliver(const adapters::delivery&) override {
        std::this_thread::sleep_for(delay_);
        ++counts_->delivered;
        return {adapters::outcome::delivered, ""};
    }
    void stop() override {
        counts_->stopped_with = counts_->delivered.load();
        ++counts_->stopped;
    }

  private:
    std::chrono::milliseconds delay_;
    std::shared_ptr<adapter_counts> counts_;
};

struct fixture {
    fixture() : store(test::make_temp_dir("lienthong-dispatch") + "/tracking.db") {
        engine = std::make_unique<delivery::dispatcher>(
            names, std::vector<delivery::route_binding>{}, std::vector<std::chrono::milliseconds>{},
            publisher, store, 2);
        engine->start();
    }

    /// A binding of `route` to a new counting adapter, whose counts stay observable here.
    delivery::route_binding binding(std::chrono::milliseconds delay, const std::string& url) {
        counts.push_back(std::make_shared<adapter_counts>());
        return {{route, "000.00.01.H41", "http_webhook", {{"url", url}}, {}, ""},
                std::make_unique<counting_adapter>(delay, counts.back())};
    }
    adapter_counts& adapter(std::size_t i) { return *counts.at(i); }

    /// Hands one message of document `id` to the engine; `settled` gets its ack (true) or
    /// requeue (false).
    void send(const std::string& id, std::atomic<int>& settled) {
        bus::broker::incoming_message m;
        m.queue = names.route_queue(route);
        m.routing_key = route;
        m.body = std::make_shared<const std::string>("<edXML/>");
        m.message_id = id;
        m.headers = {{"x-document-id", id}, {"x-recipient", "000.00.01.H41"}};
        engine->handle(m, [&settled](bool ack) { settled = ack ? 1 : 0; });
    }

    const bus::routing::naming names{"x", "p"};
    test::fake_publisher publisher;
    bus::store::sqlite_tracking_store store;
    std::vector<std::shared_ptr<adapter_counts>> counts;
    std::unique_ptr<delivery::dispatcher> engine;
};

}  // namespace

TEST_CASE("dispatcher routes: added then swapped with a delivery in flight then removed",
          "[unit]") {
    fixture f;
    CHECK(f.engine->queues().empty());
    std::vector<delivery::route_binding> first;
    first.push_back(f.binding(300ms, "https://a/in"));
    f.engine->add_routes(std::move(first));
    CHECK(f.engine->queues() == std::vector<std::string>{f.names.route_queue(route)});
    CHECK(f.adapter(0).started == 1);  // started at once: the dispatcher runs

    std::atomic<int> in_flight{-1};
    f.send("doc-1", in_flight);  // handed out before the swap: the old adapter delivers it
    std::vector<delivery::route_binding> second;
    second.push_back(f.binding(0ms, "https://b/in"));
    f.engine->add_routes(std::move(second));
    CHECK(f.engine->queues().size() == 1);  // the same route and queue
    std::atomic<int> after{-1};
    f.send("doc-2", after);

    f.engine->remove_routes({route});
    CHECK(f.engine->queues().empty());
    std::atomic<int> removed{-1};
    f.send("doc-3", removed);
    CHECK(removed == 0);  // requeued at once: it stays in the route's queue

    f.engine->stop();  // joins the workers
    CHECK(in_flight == 1);
    CHECK(after == 1);
    CHECK(f.adapter(0).delivered == 1);
    CHECK(f.adapter(1).delivered == 1);
    // The old adapter was stopped only after its delivery in flight had finished.
    CHECK(f.adapter(0).stopped == 1);
    CHECK(f.adapter(0).stopped_with == 1);
    CHECK(f.adapter(1).stopped == 1);
    CHECK(*f.store.is_delivered("doc-1", route));
    CHECK(*f.store.is_delivered("doc-2", route));
    CHECK_FALSE(*f.store.is_delivered("doc-3", route));
}
