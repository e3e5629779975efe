#pragma once
// The delivery engine's decision half: what happens to one message taken from a route queue.
// No socket code: the consumer (broker/amqp_consumer) feeds it and sends the acks it decides.
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <map>
#include <memory>
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
/// Thread-safety: handle() may be called from any thread; adapters are called from the workers.
class dispatcher final {
  public:
    dispatcher(routing::naming names, std::vector<route_binding> routes,
               std::vector<std::chrono::milliseconds> default_schedule,
               broker::publisher& publisher, store::tracking_store& store, int workers);
    ~dispatcher();  ///< stop()

    /// The queues to consume, one per route.
    std::vector<std::string> queues() const;
    /// Starts the adapters in order.
    void start();
    /// The consumer's message handler: queues the work and returns at once.
    void handle(broker::incoming_message message, broker::settle_fn settle);
    /// Waits for the workers, then stops the adapters in reverse order. Idempotent.
    void stop();

  private:
    void deliver(const route_binding& r, const broker::incoming_message& m,
                 const broker::settle_fn& settle);
    void forward(const route_binding& r, const broker::incoming_message& m,
                 const broker::settle_fn& settle, int attempt, const std::string& reason,
                 bool permanent);

    const routing::naming names_;
    std::vector<route_binding> routes_;
    std::map<std::string, std::size_t> by_queue_;
    const std::vector<std::chrono::milliseconds> default_schedule_;
    broker::publisher& publisher_;
    store::tracking_store& store_;
    key_lock in_flight_;  // (document, route) being delivered
    boost::asio::thread_pool pool_;
    bool started_ = false;
    bool stopped_ = false;
};

}  // namespace lienthong::bus::delivery
