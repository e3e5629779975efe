#pragma once
// The bus's broker names and topology as its config and directory define them: the one place
// the bus (at start-up) and `lienthongctl definitions` (for operators) both take them from.
#include <chrono>
#include <vector>

#include "broker/topology.hpp"
#include "config/config.hpp"
#include "routing/directory.hpp"
#include "routing/router.hpp"

namespace lienthong::bus::routing {

/// The exchange and queue prefix of `broker`.
naming naming_of(const config::broker_config& broker);

/// The bus-wide retry delays of `delivery`.
std::vector<std::chrono::milliseconds> retry_schedule_of(const config::delivery_config& delivery);

/// The broker topology the bus declares for this config and directory.
broker::topology topology_for(const config::config& cfg, const directory& dir);

}  // namespace lienthong::bus::routing
