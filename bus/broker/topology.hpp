#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace lienthong::bus::broker {

/// A durable queue bound to an exchange.
struct queue_binding {
    std::string queue;
    std::string routing_key;
    std::string exchange;              ///< "" = the topology's documents exchange
    std::int64_t message_ttl_ms = 0;   ///< > 0: messages dead-letter after this long
    std::string dead_letter_exchange;  ///< "" = none
    int delivery_limit = 0;            ///< > 0: dead-lettered after this many redeliveries
};

/// A durable helper exchange (retry steps, dead letters).
struct exchange_decl {
    std::string name;
    std::string type = "fanout";
};

/// What the bus declares (idempotently) at every (re)connect.
struct topology {
    std::string exchange;                  ///< durable direct exchange
    std::vector<queue_binding> queues;     ///< durable quorum queues
    std::vector<exchange_decl> exchanges;  ///< declared before the queues
};

}  // namespace lienthong::bus::broker
