#pragma once
#include <memory>
#include <string>

#include "adapters/api/adapter.hpp"
#include "core/metrics.hpp"

namespace lienthong::bus::delivery {

/// Wraps a route's adapter to count and time every delivery attempt: deliveries per route and
/// outcome (the admin API's deliver rate), the adapter's duration histogram per route, and
/// adapter failures per route and type. Otherwise forwards every call unchanged; as thread-safe
/// as the wrapped adapter.
class metered_adapter final : public adapters::adapter {
  public:
    metered_adapter(std::unique_ptr<adapters::adapter> inner, std::string route, std::string type,
                    core::metrics& metrics);

    void start() override { inner_->start(); }
    adapters::delivery_result deliver(const adapters::delivery& d) override;
    void stop() override { inner_->stop(); }

  private:
    std::unique_ptr<adapters::adapter> inner_;
    std::string route_;
    std::string type_;
    core::metrics& metrics_;
};

}  // namespace lienthong::bus::delivery
