#pragma once
#include <memory>
#include <string>
#include <string_view>

#include "adapters/common/http_client.hpp"
#include "adapters/national_axis/config.hpp"
#include "adapters/national_axis/protocol.hpp"

namespace lienthong::adapters::national_axis {

/// Signed calls to the axis: POST {endpoint}/{method} with the XroadVnpt headers of `logical`.
/// Thread-safe (no shared mutable state); never throws.
class client final {
  public:
    explicit client(std::shared_ptr<const config> cfg) : cfg_(std::move(cfg)) {}

    /// `plain`: headers sent outside the signed set (sendEdoc's hash-file).
    common::http_result call(std::string_view method, const header_list& logical,
                             std::string body = {},
                             std::string_view content_type = "application/json",
                             const header_list& plain = {}) const;

    const config& settings() const { return *cfg_; }

  private:
    std::shared_ptr<const config> cfg_;
};

}  // namespace lienthong::adapters::national_axis
