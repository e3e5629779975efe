#include "broker/amqp_envelope.hpp"

#include <memory>
#include <string>

#include "broker/amqp.hpp"

namespace lienthong::bus::broker {

namespace {

std::string field_text(const amqp_field_value_t& v) {
    switch (v.kind) {
        case AMQP_FIELD_KIND_UTF8:
        case AMQP_FIELD_KIND_BYTES:
            return amqp::to_string(v.value.bytes);
        case AMQP_FIELD_KIND_I8:
            return std::to_string(v.value.i8);
        case AMQP_FIELD_KIND_U8:
            return std::to_string(v.value.u8);
        case AMQP_FIELD_KIND_I16:
            return std::to_string(v.value.i16);
        case AMQP_FIELD_KIND_U16:
            return std::to_string(v.value.u16);
        case AMQP_FIELD_KIND_I32:
            return std::to_string(v.value.i32);
        case AMQP_FIELD_KIND_U32:
            return std::to_string(v.value.u32);
        case AMQP_FIELD_KIND_I64:
            return std::to_string(v.value.i64);
        case AMQP_FIELD_KIND_U64:
            return std::to_string(v.value.u64);
        default:
            return {};
    }
}

void copy_properties(const amqp_basic_properties_t& p, incoming_message& m) {
    if ((p._flags & AMQP_BASIC_MESSAGE_ID_FLAG) != 0) {
        m.message_id = amqp::to_string(p.message_id);
    }
    if ((p._flags & AMQP_BASIC_HEADERS_FLAG) != 0) {
        for (int i = 0; i < p.headers.num_entries; ++i) {
            const auto& e = p.headers.entries[i];
            if (e.value.kind == AMQP_FIELD_KIND_TABLE || e.value.kind == AMQP_FIELD_KIND_ARRAY) {
                continue;  // e.g. x-death: the broker's bookkeeping, not ours
            }
            m.headers.emplace_back(amqp::to_string(e.key), field_text(e.value));
        }
    }
}

/// The content header and body frames that follow a basic.deliver.
core::result<void> read_content(amqp_connection_state_t conn, incoming_message& m) {
    amqp_frame_t frame;
    if (auto r =
            amqp::check_status(amqp_simple_wait_frame(conn, &frame), "reading a content header");
        !r) {
        return r;
    }
    if (frame.frame_type != AMQP_FRAME_HEADER || frame.channel != amqp::channel) {
        return amqp::unavailable("a delivery without its content header");
    }
    copy_properties(*static_cast<const amqp_basic_properties_t*>(frame.payload.properties.decoded),
                    m);
    const auto size = static_cast<std::size_t>(frame.payload.properties.body_size);
    auto body = std::make_shared<std::string>();
    body->reserve(size);
    while (body->size() < size) {
        if (auto r = amqp::check_status(amqp_simple_wait_frame(conn, &frame), "reading a body");
            !r) {
            return r;
        }
        const auto& piece = frame.payload.body_fragment;
        if (frame.frame_type != AMQP_FRAME_BODY || frame.channel != amqp::channel ||
            piece.len > size - body->size()) {
            return amqp::unavailable("a delivery's body frames do not match its header");
        }
        body->append(static_cast<const char*>(piece.bytes), piece.len);
    }
    m.body = std::move(body);
    return {};
}

}  // namespace

core::result<consumed> read_next(amqp_connection_state_t conn, const timeval& timeout) {
    consumed out;
    amqp_frame_t frame;
    timeval tv = timeout;
    const int rc = amqp_simple_wait_frame_noblock(conn, &frame, &tv);
    if (rc == AMQP_STATUS_TIMEOUT) {
        return out;
    }
    if (auto r = amqp::check_status(rc, "reading a frame"); !r) {
        return r.error();
    }
    if (frame.frame_type != AMQP_FRAME_METHOD) {
        return out;  // a stray content frame of nothing we asked for
    }
    if (frame.payload.method.id != AMQP_BASIC_DELIVER_METHOD) {
        out.method = frame.payload.method.id;
        return out;
    }
    const auto& deliver = *static_cast<const amqp_basic_deliver_t*>(frame.payload.method.decoded);
    incoming_message m;
    m.queue = amqp::to_string(deliver.consumer_tag);
    m.routing_key = amqp::to_string(deliver.routing_key);
    m.redelivered = deliver.redelivered != 0;
    out.delivery_tag = deliver.delivery_tag;
    if (auto r = read_content(conn, m); !r) {
        return r.error();
    }
    out.message = std::move(m);
    return out;
}

std::string incoming_message::header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
        if (k == name) {
            return v;
        }
    }
    return {};
}

}  // namespace lienthong::bus::broker
