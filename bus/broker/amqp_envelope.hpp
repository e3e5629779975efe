#pragma once
// A delivered AMQP envelope turned into the consumer's incoming_message: what the consumer loop
// hands to its handler, kept apart from the loop itself.
#include <amqp.h>

#include "broker/amqp_consumer.hpp"

namespace lienthong::bus::broker {

/// Copies `env` (body, routing key, consumer tag as the queue, message id, and the headers whose
/// values are scalars: the broker's own tables such as x-death are skipped) into an
/// incoming_message that owns its bytes. Never throws except std::bad_alloc. Thread-safe.
incoming_message copy_out(const amqp_envelope_t& env);

}  // namespace lienthong::bus::broker
