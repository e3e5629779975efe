#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "adapters/directory_drop/config.hpp"

namespace lienthong::adapters::directory_drop {

/// Writes atomically: a temp file in the same folder, fsync, rename to `<id>.edxml`, fsync of
/// the folder. A watcher never sees a partial file; a redelivery replaces the file with the same
/// bytes. When the bus checked the documents' own signatures, their verdicts (the JSON array of
/// bus/pdf/verdict.hpp) are written the same way to `<id>.signatures.json` first, so the
/// sidecar is there when the packet appears. Thread-safe (no shared state besides the folder).
class directory_drop_adapter final : public adapter {
  public:
    explicit directory_drop_adapter(config c) : config_(std::move(c)) {}
    /// Creates the folder. Failures are reported by deliver() as retryable (it may be a mount
    /// that comes back), never by throwing.
    void start() override;
    delivery_result deliver(const delivery& d) override;

  private:
    /// nullopt on success, else the (retryable) failure.
    std::optional<delivery_result> write_atomically(const std::string& final_path,
                                                    const std::string& temp_path,
                                                    std::string_view bytes) const;

    config config_;
};

}  // namespace lienthong::adapters::directory_drop
