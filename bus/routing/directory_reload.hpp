#pragma once
// The directory reload rule (SIGHUP): agency data and delivery routes take effect without a
// restart. The route set is a pure function of the file (delivery_routes), so every instance
// that reloads the same file converges to the same routes.
#include <functional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "routing/directory.hpp"
#include "routing/router.hpp"

namespace lienthong::bus::routing {

/// How the routes of two directories differ, by route name.
struct route_changes {
    std::vector<delivery_route> added;    ///< in the new file only
    std::vector<delivery_route> changed;  ///< same name, other type, settings or retry schedule
    std::vector<std::string> removed;     ///< names in the old set only
    bool empty() const { return added.empty() && changed.empty() && removed.empty(); }
};

/// The difference from `before` to `after` (both as delivery_routes() gives them), in their
/// order. Pure; never throws beyond std::bad_alloc.
route_changes diff_routes(const std::vector<delivery_route>& before,
                          const std::vector<delivery_route>& after);

/// What a reload asks of the delivery side when the routes change (the app wires it; routing
/// knows no queues or adapters).
struct route_hooks {
    /// Before the new directory takes effect: check the new and changed routes' adapter
    /// settings, declare their queues, start their adapters and consumers; swap the changed
    /// routes' adapters. A failure (its message names the key at fault) refuses the reload as a
    /// whole, and must leave the running routes as they were.
    std::function<core::result<void>(const std::vector<delivery_route>& all,
                                     const route_changes& changes)>
        prepare;
    /// After it took effect: stop consuming the removed routes' queues (their messages stay in
    /// the queues, reported, never deleted).
    std::function<void(const std::vector<delivery_route>& all, const route_changes& changes)>
        retire;
};

/// Re-reads the directory at `path` into `current`. Agency data (names, parents, signing-
/// certificate fingerprints) and routes take effect at once: when the routes differ,
/// hooks.prepare runs first (new queues and consumers exist before any document is routed to
/// them), then the directory is replaced, then hooks.retire runs. An unreadable or invalid
/// file, or one whose routes prepare refuses, is refused as a whole (the old directory and
/// routes stay) and logged. Logs directory.reloaded with the counts of added, changed and
/// removed routes. Never throws. Not to be called concurrently with itself.
void reload_directory(const std::string& path, directory& current, const route_hooks& hooks);

}  // namespace lienthong::bus::routing
