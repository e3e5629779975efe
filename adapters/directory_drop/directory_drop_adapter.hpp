#pragma once
#include "adapters/directory_drop/config.hpp"

namespace lienthong::adapters::directory_drop {

/// Writes atomically: a temp file in the same folder, fsync, rename to `<id>.edxml`, fsync of
/// the folder. A watcher never sees a partial file; a redelivery replaces the file with the same
/// bytes. Thread-safe (no shared state besides the folder).
class directory_drop_adapter final : public adapter {
  public:
    explicit directory_drop_adapter(config c) : config_(std::move(c)) {}
    /// Creates the folder. Failures are reported by deliver() as retryable (it may be a mount
    /// that comes back), never by throwing.
    void start() override;
    delivery_result deliver(const delivery& d) override;

  private:
    config config_;
};

}  // namespace lienthong::adapters::directory_drop
