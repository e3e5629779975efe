#pragma once
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "broker/topology.hpp"
#include "config/config.hpp"

namespace lienthong::bus::broker {

/// One message taken from a queue, copied out of the library's buffers.
struct incoming_message {
    std::string queue;  ///< the queue it came from
    std::string routing_key;
    std::shared_ptr<const std::string> body;
    std::string message_id;
    /// String and integer entries of the AMQP headers table (integers as decimal text).
    std::vector<std::pair<std::string, std::string>> headers;
    bool redelivered = false;

    /// Value of header `name`, or "".
    std::string header(std::string_view name) const;
};

/// Settles a message exactly once, from any thread: true = ack (the bus is done with it),
/// false = reject with requeue (the broker delivers it again). Settling after the connection
/// it came on was lost does nothing: the broker already requeued it.
using settle_fn = std::function<void(bool ack)>;

/// Receives each message on the consumer thread; must not block (hand the work to a pool).
using message_handler = std::function<void(incoming_message, settle_fn)>;

/// rabbitmq-c consumer with manual acks: owns one connection and a thread (rabbitmq-c is not
/// thread-safe), declares the topology, consumes `queues` with a bounded prefetch per queue, and
/// reconnects with backoff and jitter (up to broker.reconnect_max_ms) whenever the connection
/// breaks, resuming consumption; messages not acked by then return to their queues. While the
/// bodies handed out and not yet settled add up to `max_in_flight_bytes` or more, it reads no
/// further message (they wait in the broker and the socket, not in the bus's memory); one
/// message is always handed out, whatever its size.
class amqp_consumer final {
  public:
    amqp_consumer(config::broker_config cfg, topology topo, std::vector<std::string> queues,
                  int prefetch, std::size_t max_in_flight_bytes, message_handler handler);
    ~amqp_consumer();  ///< stop() with no drain time

    void start();
    /// Stops taking messages, waits up to `drain` for the handed-out ones to be settled, then
    /// closes the channel and connection cleanly. Idempotent.
    void stop(std::chrono::milliseconds drain = std::chrono::milliseconds::zero());
    /// Connected, topology declared and consuming.
    bool connected() const;
    /// A directory reload: replaces the topology and the consumed queues without a restart. On
    /// the consumer thread it declares `topo` (idempotent), consumes the queues new in `queues`
    /// and cancels those no longer in it (their messages stay in the queue; those already
    /// handed out are settled as usual). Returns true once applied on a live connection; false
    /// when not within `wait` (no connection, or the broker failed a declaration, which breaks
    /// the connection): it is then applied at the next connect. Thread-safe; not concurrently
    /// with itself.
    bool change_queues(topology topo, std::vector<std::string> queues,
                       std::chrono::milliseconds wait);

  private:
    struct impl;
    std::shared_ptr<impl> impl_;
};

}  // namespace lienthong::bus::broker
