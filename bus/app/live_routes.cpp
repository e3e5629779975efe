#include "app/live_routes.hpp"

#include "app/check_config.hpp"
#include "core/log.hpp"
#include "delivery/metered_adapter.hpp"
#include "routing/topology.hpp"

namespace lienthong::bus::app {

namespace {

std::vector<std::string> queues_of(const routing::naming& names,
                                   const std::vector<routing::delivery_route>& routes) {
    std::vector<std::string> out;
    for (const auto& r : routes) {
        out.push_back(names.route_queue(r.name));
    }
    return out;
}

broker::topology topology_of(const config::config& cfg,
                             const std::vector<routing::delivery_route>& routes) {
    return routing::make_topology(routing::naming_of(cfg.broker), routes,
                                  routing::retry_schedule_of(cfg.delivery));
}

void apply_queues(const route_parts& p, broker::topology topo, std::vector<std::string> queues) {
    p.publisher.set_topology(topo);
    if (!p.consumer.change_queues(std::move(topo), std::move(queues), p.consumer_wait)) {
        core::log(core::log_level::warn, "directory.routes_pending",
                  {{"detail",
                    "the consumer has no broker connection now: the new queues are "
                    "declared and consumed when it reconnects"}});
    }
}

core::result<void> prepare(const route_parts& p, const std::vector<routing::delivery_route>& all,
                           const routing::route_changes& changes) {
    auto fresh = changes.added;
    fresh.insert(fresh.end(), changes.changed.begin(), changes.changed.end());
    std::vector<delivery::route_binding> bindings;
    try {
        bindings = make_route_bindings(p.cfg, fresh, p.registry, p.metrics);
    } catch (const std::exception& e) {
        return core::fail(core::errc::invalid_request, e.what());
    }
    p.dispatcher.add_routes(std::move(bindings));
    // Removed routes are still consumed until the new directory no longer routes to them.
    const auto names = routing::naming_of(p.cfg.broker);
    auto queues = queues_of(names, all);
    for (const auto& name : changes.removed) {
        queues.push_back(names.route_queue(name));
    }
    apply_queues(p, topology_of(p.cfg, all), std::move(queues));
    return {};
}

void retire(const route_parts& p, const std::vector<routing::delivery_route>& all,
            const routing::route_changes& changes) {
    const auto names = routing::naming_of(p.cfg.broker);
    if (!changes.removed.empty()) {
        apply_queues(p, topology_of(p.cfg, all), queues_of(names, all));
        p.dispatcher.remove_routes(changes.removed);
    }
    p.ops.set_routes(all, changes.removed);
    std::vector<std::string> removed_queues;
    for (const auto& name : changes.removed) {
        removed_queues.push_back(names.route_queue(name));
    }
    const auto stats = p.admin.stats(removed_queues);
    for (std::size_t i = 0; i < removed_queues.size(); ++i) {
        const std::int64_t messages = stats ? static_cast<std::int64_t>((*stats)[i].messages) : -1;
        core::log(messages == 0 ? core::log_level::info : core::log_level::warn,
                  "directory.route_removed",
                  {{"route", changes.removed[i]},
                   {"queue", removed_queues[i]},
                   {"messages", messages < 0 ? "unknown" : std::to_string(messages)},
                   {"detail", "no longer consumed; its messages stay in the queue"}});
    }
}

}  // namespace

std::vector<delivery::route_binding> make_route_bindings(
    const config::config& cfg, const std::vector<routing::delivery_route>& routes,
    const adapters::registry& registry, core::metrics& metrics) {
    check_routes(cfg, routes, registry);
    std::vector<delivery::route_binding> out;
    for (const auto& r : routes) {
        out.push_back({r, std::make_unique<delivery::metered_adapter>(
                              registry.find(r.type)->create(r.settings), r.name, r.type, metrics)});
    }
    return out;
}

routing::route_hooks route_hooks_for(route_parts parts) {
    return {[parts](const auto& all, const auto& changes) { return prepare(parts, all, changes); },
            [parts](const auto& all, const auto& changes) { retire(parts, all, changes); }};
}

}  // namespace lienthong::bus::app
