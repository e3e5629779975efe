#include "store/tracking_store_factory.hpp"

#include "store/postgresql_tracking_store.hpp"
#include "store/sqlite_tracking_store.hpp"

namespace lienthong::bus::store {

std::unique_ptr<tracking_store> make_tracking_store(const config::store_config& c) {
    if (c.backend == "postgresql") {
        return std::make_unique<postgresql_tracking_store>(c.postgresql_url);
    }
    return std::make_unique<sqlite_tracking_store>(c.path);
}

}  // namespace lienthong::bus::store
