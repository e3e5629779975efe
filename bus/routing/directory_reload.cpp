#include "routing/directory_reload.hpp"

#include <algorithm>
#include <exception>
#include <vector>

#include "core/log.hpp"
#include "routing/router.hpp"

namespace lienthong::bus::routing {

namespace {

bool same_routes(const std::vector<delivery_route>& a, const std::vector<delivery_route>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
        return x.name == y.name && x.type == y.type && x.settings == y.settings &&
               x.retry_schedule == y.retry_schedule;
    });
}

}  // namespace

void reload_directory(const std::string& path, directory& current) {
    try {
        auto fresh = directory::load(path);
        if (!same_routes(delivery_routes(current), delivery_routes(fresh))) {
            core::log(core::log_level::warn, "directory.reload_refused",
                      {{"file", path},
                       {"detail",
                        "delivery routes changed (agencies or subscriptions added, "
                        "removed or edited): restart the bus to apply them"}});
            return;
        }
        current.replace(std::move(fresh));
        core::log(core::log_level::info, "directory.reloaded", {{"file", path}});
    } catch (const std::exception& e) {
        core::log(core::log_level::error, "directory.reload_failed",
                  {{"file", path}, {"detail", e.what()}});
    }
}

}  // namespace lienthong::bus::routing
