#pragma once
// Reading one delivery off the consumer's connection, frame by frame, into the incoming_message
// the consumer hands to its handler: kept apart from the consumer loop itself.
#include <amqp.h>
#include <sys/time.h>

#include <cstdint>
#include <optional>

#include "broker/amqp_consumer.hpp"
#include "core/result.hpp"

namespace lienthong::bus::broker {

/// What one read of the consumer's channel gave: a delivery, another method for the channel
/// (a broker-side close or cancel: `method` says which), or nothing before the timeout (both
/// empty).
struct consumed {
    std::optional<incoming_message> message;
    std::uint64_t delivery_tag = 0;  ///< of `message`
    amqp_method_number_t method = 0;
};

/// Waits up to `timeout` for the next frame on amqp::channel. A basic.deliver is read whole:
/// its header and body frames follow on the channel at once (AMQP 0-9-1 §4.2.6), anything else
/// in between is an error. The body is appended frame by frame into one string reserved at the
/// header's body_size, instead of rabbitmq-c's amqp_read_message, which mallocs a body of its
/// own that would then be copied again (at 1 MB that second copy and its page faults were 17 %
/// of the bus's CPU). Kept of the properties: message id and the headers whose values are
/// scalars (the broker's tables such as x-death are skipped); the consumer tag is the queue (we
/// consume each queue under its own name).
/// Errors: broker_unavailable when the connection fails or a frame arrives out of order.
/// Not thread-safe: the consumer thread alone uses `conn`.
core::result<consumed> read_next(amqp_connection_state_t conn, const timeval& timeout);

}  // namespace lienthong::bus::broker
