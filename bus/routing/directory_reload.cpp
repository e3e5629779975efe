#include "routing/directory_reload.hpp"

#include <exception>
#include <map>

#include "core/log.hpp"

namespace lienthong::bus::routing {

namespace {

bool same_route(const delivery_route& x, const delivery_route& y) {
    return x.type == y.type && x.settings == y.settings && x.retry_schedule == y.retry_schedule;
}

}  // namespace

route_changes diff_routes(const std::vector<delivery_route>& before,
                          const std::vector<delivery_route>& after) {
    std::map<std::string, const delivery_route*> old_by_name;
    for (const auto& r : before) {
        old_by_name.emplace(r.name, &r);
    }
    route_changes out;
    std::map<std::string, bool> kept;
    for (const auto& r : after) {
        kept[r.name] = true;
        const auto it = old_by_name.find(r.name);
        if (it == old_by_name.end()) {
            out.added.push_back(r);
        } else if (!same_route(*it->second, r)) {
            out.changed.push_back(r);
        }
    }
    for (const auto& r : before) {
        if (kept.count(r.name) == 0) {
            out.removed.push_back(r.name);
        }
    }
    return out;
}

void reload_directory(const std::string& path, directory& current, const route_hooks& hooks) {
    try {
        auto fresh = directory::load(path);
        auto routes = delivery_routes(fresh);
        const auto changes = diff_routes(delivery_routes(current), routes);
        if (!changes.empty()) {
            if (auto ready = hooks.prepare(routes, changes); !ready) {
                core::log(core::log_level::error, "directory.reload_refused",
                          {{"file", path}, {"detail", ready.error().message}});
                return;
            }
        }
        current.replace(std::move(fresh));
        if (!changes.empty()) {
            hooks.retire(routes, changes);
        }
        core::log(core::log_level::info, "directory.reloaded",
                  {{"file", path},
                   {"routes", std::to_string(routes.size())},
                   {"added", std::to_string(changes.added.size())},
                   {"changed", std::to_string(changes.changed.size())},
                   {"removed", std::to_string(changes.removed.size())}});
    } catch (const std::exception& e) {
        core::log(core::log_level::error, "directory.reload_failed",
                  {{"file", path}, {"detail", e.what()}});
    }
}

}  // namespace lienthong::bus::routing
