#pragma once
// The store choice: which tracking store backend the `store` section names, opened.
#include <memory>

#include "config/config.hpp"
#include "store/tracking_store.hpp"

namespace lienthong::bus::store {

/// Opens the configured backend: PostgreSQL (connects to `postgresql_url`) or SQLite (opens or
/// creates the file at `path`). Throws std::runtime_error when it cannot be opened.
std::unique_ptr<tracking_store> make_tracking_store(const config::store_config& c);

}  // namespace lienthong::bus::store
