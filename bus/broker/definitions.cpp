#include "broker/definitions.hpp"

#include <boost/json.hpp>

namespace lienthong::bus::broker {

namespace {

boost::json::object exchange(const std::string& name, const std::string& type,
                             const std::string& vhost) {
    return {{"name", name},
            {"vhost", vhost},
            {"type", type},
            {"durable", true},
            {"auto_delete", false},
            {"internal", false},
            {"arguments", boost::json::object{}}};
}

// Must mirror the arguments in declare_topology() (amqp.cpp).
boost::json::object queue_arguments(const queue_binding& q) {
    boost::json::object args{{"x-queue-type", "quorum"}};
    if (q.message_ttl_ms > 0) {
        args["x-message-ttl"] = q.message_ttl_ms;
    }
    if (!q.dead_letter_exchange.empty()) {
        args["x-dead-letter-exchange"] = q.dead_letter_exchange;
        args["x-dead-letter-strategy"] = "at-least-once";
        args["x-overflow"] = "reject-publish";
    }
    if (q.delivery_limit > 0) {
        args["x-delivery-limit"] = q.delivery_limit;
    }
    return args;
}

}  // namespace

std::string rabbitmq_definitions(const topology& topo, const std::string& vhost) {
    boost::json::array exchanges{exchange(topo.exchange, "direct", vhost)};
    for (const auto& e : topo.exchanges) {
        exchanges.push_back(exchange(e.name, e.type, vhost));
    }
    boost::json::array queues;
    boost::json::array bindings;
    for (const auto& q : topo.queues) {
        queues.push_back({{"name", q.queue},
                          {"vhost", vhost},
                          {"durable", true},
                          {"auto_delete", false},
                          {"arguments", queue_arguments(q)}});
        bindings.push_back({{"source", q.exchange.empty() ? topo.exchange : q.exchange},
                            {"vhost", vhost},
                            {"destination", q.queue},
                            {"destination_type", "queue"},
                            {"routing_key", q.routing_key},
                            {"arguments", boost::json::object{}}});
    }
    boost::json::object doc{{"vhosts", boost::json::array{{{"name", vhost}}}},
                            {"exchanges", std::move(exchanges)},
                            {"queues", std::move(queues)},
                            {"bindings", std::move(bindings)}};
    return boost::json::serialize(doc);
}

}  // namespace lienthong::bus::broker
