#include "adapters/builtin.hpp"

#include "adapters/directory_drop/config.hpp"
#include "adapters/http_webhook/config.hpp"
#include "adapters/national_axis/config.hpp"

namespace lienthong::adapters {

void register_builtin_adapters(registry& r) {
    r.add("directory_drop", std::make_unique<directory_drop::factory>());
    r.add("http_webhook", std::make_unique<http_webhook::factory>());
    r.add("national_axis", std::make_unique<national_axis::factory>());
}

}  // namespace lienthong::adapters
