#pragma once
// The frame-level steps of the publisher's worker (amqp_publisher.cpp): one persistent publish,
// a bounded wait for the next frame, and applying a frame (confirms, returns, connection.blocked,
// closes) to the confirm tracker. Worker thread only: none of this is thread-safe.
#include <atomic>
#include <chrono>
#include <string>
#include <string_view>

#include "broker/amqp.hpp"
#include "broker/confirm_tracker.hpp"
#include "broker/publisher.hpp"
#include "core/result.hpp"

namespace lienthong::bus::broker::publisher_frames {

using clock = std::chrono::steady_clock;

/// Publishes one persistent message on amqp::channel with `mandatory` set, so that an
/// unroutable message comes back as basic.return instead of being dropped silently. Errors:
/// broker_unavailable (the socket is broken).
core::result<void> publish_one(amqp_connection_state_t conn, const std::string& exchange,
                               const outgoing_message& m);

/// The next frame before `deadline`; a timeout is a broker_unavailable error naming `what`, and
/// sets `*timed_out` (when given) so the caller can tell it from a broken connection.
core::result<void> wait_frame(amqp_connection_state_t conn, amqp_frame_t& frame,
                              clock::time_point deadline, std::string_view what,
                              bool* timed_out = nullptr);

/// Applies one incoming frame to `tracker` (acks, nacks, returns; connection.blocked and
/// connection.unblocked to `blocked`, logged). An error (channel or connection closed by the
/// broker, a broken returned message) means the connection is unusable.
core::result<void> handle_frame(amqp_connection_state_t conn, const amqp_frame_t& frame,
                                confirm_tracker& tracker, clock::time_point deadline,
                                std::atomic<bool>& blocked);

}  // namespace lienthong::bus::broker::publisher_frames
