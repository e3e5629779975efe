#pragma once
#include <string>
#include <vector>

namespace lienthong::bus::broker {

/// A durable queue bound to the documents exchange.
struct queue_binding {
    std::string queue;
    std::string routing_key;
};

/// What the bus declares (idempotently) at every (re)connect.
struct topology {
    std::string exchange;  ///< durable direct exchange
    std::vector<queue_binding> queues;  ///< durable quorum queues
};

}  // namespace lienthong::bus::broker
