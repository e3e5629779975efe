#pragma once
// Route changes on a directory reload (SIGHUP), applied to the running parts: what
// routing::reload_directory asks for, in the order that never strands a document. Wiring only.
#include <chrono>

#include "adapters/api/registry.hpp"
#include "broker/amqp_admin.hpp"
#include "broker/amqp_consumer.hpp"
#include "broker/amqp_publisher.hpp"
#include "config/config.hpp"
#include "core/metrics.hpp"
#include "delivery/dispatcher.hpp"
#include "http/handlers/operations.hpp"
#include "routing/directory_reload.hpp"

namespace lienthong::bus::app {

/// The running parts a route change touches; all must outlive the hooks.
struct route_parts {
    const config::config& cfg;
    const adapters::registry& registry;
    core::metrics& metrics;
    broker::amqp_publisher& publisher;
    broker::amqp_consumer& consumer;
    delivery::dispatcher& dispatcher;
    http::handlers::operations& ops;
    broker::amqp_admin& admin;
    /// How long a reload waits for the consumer to apply a change on its connection; past it
    /// the change is applied at the next connect.
    std::chrono::milliseconds consumer_wait{10'000};
};

/// The bindings (route + metered adapter) of `routes`, each adapter created by its factory.
/// Throws config::config_error listing every bad setting with its directory key path.
std::vector<delivery::route_binding> make_route_bindings(
    const config::config& cfg, const std::vector<routing::delivery_route>& routes,
    const adapters::registry& registry, core::metrics& metrics);

/// prepare: checks the added and changed routes' settings (refusing the reload with the
/// errors), creates their adapters, hands them to the dispatcher (changed ones swap in; the old
/// adapter finishes its deliveries in flight), declares the new topology and consumes the new
/// queues while still consuming the removed ones.
/// retire: cancels the removed routes' queues, takes them from the dispatcher, and reports
/// what they still hold (log directory.route_removed, the retired-queue metric, the admin
/// queues view). Nothing is deleted from the broker.
routing::route_hooks route_hooks_for(route_parts parts);

}  // namespace lienthong::bus::app
