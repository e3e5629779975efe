#include "delivery/metered_adapter.hpp"

#include <chrono>

#include "core/metric_families.hpp"

namespace lienthong::bus::delivery {

metered_adapter::metered_adapter(std::unique_ptr<adapters::adapter> inner, std::string route,
                                 std::string type, core::metrics& metrics)
    : inner_(std::move(inner)),
      route_(std::move(route)),
      type_(std::move(type)),
      metrics_(metrics) {}

adapters::delivery_result metered_adapter::deliver(const adapters::delivery& d) {
    const auto started = std::chrono::steady_clock::now();
    auto result = inner_->deliver(d);
    metrics_.observe(
        core::metric::delivery_duration.name, {{"route", route_}},
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    const char* outcome = result.result == adapters::outcome::delivered           ? "delivered"
                          : result.result == adapters::outcome::retryable_failure ? "retryable"
                                                                                  : "permanent";
    metrics_.add(core::metric::deliveries.name, {{"route", route_}, {"outcome", outcome}});
    if (result.result != adapters::outcome::delivered) {
        metrics_.add(core::metric::adapter_failures.name, {{"route", route_}, {"type", type_}});
    }
    return result;
}

}  // namespace lienthong::bus::delivery
