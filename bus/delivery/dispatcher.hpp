#pragma once
// The delivery engine's decision half: what happens to one message taken from a route queue.
// No socket code: the consumer (broker/amqp_consumer) feeds it and sends the acks it decides.
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "adapters/api/adapter.hpp"
#include "broker/amqp_consumer.hpp"
#include "broker/publisher.hpp"
#include "core/message_contract.hpp"
#include "delivery/key_lock.hpp"
#include "routing/router.hpp"
#include "store/tracking_store.hpp"

namespace lienthong::bus::delivery {

/// The message contract's header names (core/message_contract.hpp).
namespace header = core::header;

/// One route with its running adapter.
struct route_binding {
    routing::delivery_route route;
    std::unique_ptr<adapters::adapter> adapter;
};

/// For each message of a route queue, on a worker thread, one (document, route) at a time: skip
/// it if the tracking store says it was already delivered (a redelivery after a crash, or the
/// second copy of a document published again); otherwise call the
/// route's adapter once and then
///  - delivered: record it in the store, then ack;
///  - retryable failure with steps left: publish a copy (attempt + 1, failure reasons in its
///    headers) to the retry step's exchange, whose queue dead-letters it back to the route after
///    the step's delay; ack the original only once the broker confirmed the copy;
///  - permanent failure, or no steps left: publish a copy to the dead-letter exchange with its
///    reasons, ack once confirmed.
/// A copy the broker did not confirm makes the original go back to its queue (requeue): a
/// message may be attempted again, it is never dropped.
///
/// Routes change without a restart (a directory reload): add_routes() and remove_routes(). A
/// delivery in flight keeps the adapter it started with; a replaced or removed adapter is
/// stopped once its last delivery has finished.
///
/// Thread-safety: handle(), add_routes(), remove_routes() and queues() may be called from any
/// thread; adapters are called from the workers.
class dispatcher final {
  public:
    dispatcher(routing::naming names, std::vector<route_binding> routes,
               std::vector<std::chrono::milliseconds> default_schedule,
               broker::publisher& publisher, store::tracking_store& store, int workers);
    ~dispatcher();  ///< stop()

    /// The queues to consume, one per route, in the order the routes were added.
    std::vector<std::string> queues() const;
    /// Adds these routes, or for a name already served, replaces its route and adapter (the new
    /// adapter is started first when the dispatcher runs). Call before consuming new queues.
    void add_routes(std::vector<route_binding> routes);
    /// Stops serving these route names: a message still arriving from their queues is rejected
    /// with requeue, so it stays there. Call after the consumer cancelled their queues.
    void remove_routes(const std::vector<std::string>& names);
    /// Starts the adapters in order.
    void start();
    /// The consumer's message handler: queues the work and returns at once.
    void handle(broker::incoming_message message, broker::settle_fn settle);
    /// Waits for the workers, then stops the adapters in reverse order. Idempotent.
    void stop();

  private:
    struct live_route;  // a route_binding that stops its adapter when the last user lets go
    void deliver(const route_binding& r, const broker::incoming_message& m,
                 const broker::settle_fn& settle);
    void forward(const route_binding& r, const broker::incoming_message& m,
                 const broker::settle_fn& settle, int attempt, const std::string& reason,
                 bool permanent);

    const routing::naming names_;
    mutable std::mutex routes_mutex_;
    std::vector<std::string> order_;                               // queue names, guarded
    std::map<std::string, std::shared_ptr<live_route>> by_queue_;  // guarded by routes_mutex_
    const std::vector<std::chrono::milliseconds> default_schedule_;
    broker::publisher& publisher_;
    store::tracking_store& store_;
    key_lock in_flight_;  // (document, route) being delivered
    boost::asio::thread_pool pool_;
    bool started_ = false;  // guarded by routes_mutex_
    bool stopped_ = false;
};

}  // namespace lienthong::bus::delivery
