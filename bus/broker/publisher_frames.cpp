#include "broker/publisher_frames.hpp"

#include <cstdint>
#include <vector>

#include "core/log.hpp"

namespace lienthong::bus::broker::publisher_frames {

using amqp::unavailable;
using std::chrono::milliseconds;

/// Publishes one persistent message; `mandatory` makes an unroutable message come back as
/// basic.return instead of being dropped silently.
core::result<void> publish_one(amqp_connection_state_t conn, const std::string& exchange,
                               const outgoing_message& m) {
    std::vector<amqp_table_entry_t> entries(m.headers.size());
    for (std::size_t i = 0; i < m.headers.size(); ++i) {
        entries[i].key = amqp::bytes(m.headers[i].first);
        entries[i].value.kind = AMQP_FIELD_KIND_UTF8;
        entries[i].value.value.bytes = amqp::bytes(m.headers[i].second);
    }
    amqp_basic_properties_t props{};
    props._flags = AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG;
    props.content_type = amqp_cstring_bytes("application/xml");
    props.delivery_mode = AMQP_DELIVERY_PERSISTENT;
    if (!m.message_id.empty()) {
        props._flags |= AMQP_BASIC_MESSAGE_ID_FLAG;
        props.message_id = amqp::bytes(m.message_id);
    }
    if (!entries.empty()) {
        props._flags |= AMQP_BASIC_HEADERS_FLAG;
        props.headers = amqp_table_t{static_cast<int>(entries.size()), entries.data()};
    }
    const std::string_view body = m.body ? std::string_view(*m.body) : std::string_view{};
    const std::string& target = m.exchange.empty() ? exchange : m.exchange;
    return amqp::check_status(amqp_basic_publish(conn, amqp::channel, amqp::bytes(target),
                                                 amqp::bytes(m.routing_key), /*mandatory=*/1,
                                                 /*immediate=*/0, &props, amqp::bytes(body)),
                              "publish");
}

/// Next frame before `deadline`; a timeout is an error (the confirm did not come in time).
core::result<void> wait_frame(amqp_connection_state_t conn, amqp_frame_t& frame,
                              clock::time_point deadline, std::string_view what, bool* timed_out) {
    const auto timeout = [&] {
        if (timed_out != nullptr) {
            *timed_out = true;
        }
        return unavailable(std::string(what) + " timed out");
    };
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - clock::now());
    if (left <= milliseconds::zero()) {
        return timeout();
    }
    const timeval tv = amqp::to_timeval(left);
    const int rc = amqp_simple_wait_frame_noblock(conn, &frame, &tv);
    if (rc == AMQP_STATUS_TIMEOUT) {
        return timeout();  // may end a little before `deadline`: the wait is in whole ms
    }
    return amqp::check_status(rc, what);
}

namespace {

/// After basic.return the broker sends the message back (header + body frames). We need only
/// its message-id (to find the batch) and must consume the rest of the content.
core::result<std::string> drain_returned(amqp_connection_state_t conn, clock::time_point deadline) {
    amqp_frame_t frame;
    if (auto r = wait_frame(conn, frame, deadline, "reading returned message"); !r) {
        return std::move(r).error();
    }
    if (frame.frame_type != AMQP_FRAME_HEADER) {
        return unavailable("expected content header after basic.return");
    }
    std::string message_id;
    const auto* props =
        static_cast<const amqp_basic_properties_t*>(frame.payload.properties.decoded);
    if (props != nullptr && (props->_flags & AMQP_BASIC_MESSAGE_ID_FLAG) != 0) {
        message_id = amqp::to_string(props->message_id);
    }
    const std::uint64_t body_size = frame.payload.properties.body_size;
    std::uint64_t received = 0;
    while (received < body_size) {
        if (auto r = wait_frame(conn, frame, deadline, "reading returned message"); !r) {
            return std::move(r).error();
        }
        if (frame.frame_type != AMQP_FRAME_BODY) {
            return unavailable("expected content body after basic.return");
        }
        received += frame.payload.body_fragment.len;
    }
    return message_id;
}

}  // namespace

core::result<void> handle_frame(amqp_connection_state_t conn, const amqp_frame_t& frame,
                                confirm_tracker& tracker, clock::time_point deadline,
                                std::atomic<bool>& blocked) {
    if (frame.frame_type != AMQP_FRAME_METHOD) {
        return {};  // stray content outside a return: nothing to decide
    }
    const void* decoded = frame.payload.method.decoded;
    switch (frame.payload.method.id) {
        case AMQP_BASIC_ACK_METHOD: {
            const auto* m = static_cast<const amqp_basic_ack_t*>(decoded);
            tracker.ack(m->delivery_tag, m->multiple != 0);
            return {};
        }
        case AMQP_BASIC_NACK_METHOD: {
            const auto* m = static_cast<const amqp_basic_nack_t*>(decoded);
            tracker.nack(m->delivery_tag, m->multiple != 0);
            return {};
        }
        case AMQP_BASIC_RETURN_METHOD: {
            const auto* m = static_cast<const amqp_basic_return_t*>(decoded);
            // Copy before reading more frames; decoded data lives in the connection's pool.
            const std::string routing_key = amqp::to_string(m->routing_key);
            const std::string reason = std::to_string(m->reply_code) + " " +
                                       amqp::to_string(m->reply_text) + " (routing key '" +
                                       routing_key + "')";
            auto message_id = drain_returned(conn, deadline);
            if (!message_id) {
                return std::move(message_id).error();
            }
            tracker.returned(routing_key, *message_id, reason);
            return {};
        }
        case AMQP_CONNECTION_BLOCKED_METHOD: {
            const auto* m = static_cast<const amqp_connection_blocked_t*>(decoded);
            blocked = true;
            core::log(core::log_level::warn, "broker.blocked",
                      {{"reason", amqp::to_string(m->reason)}});
            return {};
        }
        case AMQP_CONNECTION_UNBLOCKED_METHOD:
            blocked = false;
            core::log(core::log_level::info, "broker.unblocked", {});
            return {};
        case AMQP_CHANNEL_CLOSE_METHOD: {
            const auto* m = static_cast<const amqp_channel_close_t*>(decoded);
            return unavailable("channel closed by broker: " + std::to_string(m->reply_code) + " " +
                               amqp::to_string(m->reply_text));
        }
        case AMQP_CONNECTION_CLOSE_METHOD: {
            const auto* m = static_cast<const amqp_connection_close_t*>(decoded);
            auto failure =
                unavailable("connection closed by broker: " + std::to_string(m->reply_code) + " " +
                            amqp::to_string(m->reply_text));
            amqp_connection_close_ok_t ok{};
            (void)amqp_send_method(conn, 0, AMQP_CONNECTION_CLOSE_OK_METHOD, &ok);  // courtesy only
            return failure;
        }
        default:
            return {};
    }
}

}  // namespace lienthong::bus::broker::publisher_frames
