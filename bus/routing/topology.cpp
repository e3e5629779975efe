#include "routing/topology.hpp"

namespace lienthong::bus::routing {

naming naming_of(const config::broker_config& broker) {
    return {broker.exchange, broker.queue_prefix};
}

std::vector<std::chrono::milliseconds> retry_schedule_of(const config::delivery_config& delivery) {
    return {delivery.retry_schedule_ms.begin(), delivery.retry_schedule_ms.end()};
}

broker::topology topology_for(const config::config& cfg, const directory& dir) {
    return make_topology(naming_of(cfg.broker), delivery_routes(dir),
                         retry_schedule_of(cfg.delivery));
}

}  // namespace lienthong::bus::routing
