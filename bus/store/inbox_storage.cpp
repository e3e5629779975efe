#include "store/inbox_storage.hpp"

#include "store/postgresql_inbox_storage.hpp"
#include "store/sqlite_inbox_storage.hpp"

namespace lienthong::bus::store {

std::unique_ptr<inbox_storage> make_inbox_storage(const config::store_config& c) {
    if (c.backend == "postgresql") {
        return std::make_unique<postgresql_inbox_storage>(c.postgresql_url);
    }
    return std::make_unique<sqlite_inbox_storage>(c.path);
}

}  // namespace lienthong::bus::store
