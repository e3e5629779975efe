#include "broker/amqp_envelope.hpp"

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

}  // namespace

incoming_message copy_out(const amqp_envelope_t& env) {
    incoming_message m;
    m.queue = amqp::to_string(env.consumer_tag);  // we consume each queue under its own name
    m.routing_key = amqp::to_string(env.routing_key);
    m.body = std::make_shared<const std::string>(amqp::to_string(env.message.body));
    m.redelivered = env.redelivered != 0;
    const auto& p = env.message.properties;
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
    return m;
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
