#pragma once
#include "adapters/api/adapter.hpp"
#include "adapters/http_webhook/config.hpp"

namespace lienthong::adapters::http_webhook {

/// The runtime half: one POST per delivery (see config.hpp for headers and outcomes).
/// Thread-safe: holds only its immutable config.
class http_webhook_adapter final : public adapter {
  public:
    explicit http_webhook_adapter(config c) : config_(std::move(c)) {}
    delivery_result deliver(const delivery& d) override;

    /// The outcome the bus draws from an HTTP status (exposed for tests).
    static outcome classify(int status) noexcept;

  private:
    const config config_;
};

}  // namespace lienthong::adapters::http_webhook
