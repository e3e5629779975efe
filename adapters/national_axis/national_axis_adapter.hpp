#pragma once
#include <memory>

#include "adapters/api/adapter.hpp"
#include "adapters/national_axis/client.hpp"

namespace lienthong::adapters::national_axis {

/// Runtime half of `national_axis`: sends each document or status packet routed outside the
/// province to the national axis with `sendEdoc` as the real client does (client.hpp: the packet
/// + CRLF as application/octet-stream, the SDK's hash-file, signed XroadVnpt headers,
/// messagetype `edoc` or `status` after delivery::kind, `to` = the JSON array of the route's
/// addressees). The reply is judged by judge_send() (protocol.hpp): delivered when the axis
/// answers OK, retryable on transport errors, 5xx, 408 and 429, permanent on other refusals.
/// Thread-safe.
class national_axis_adapter final : public adapter {
  public:
    explicit national_axis_adapter(std::shared_ptr<const config> cfg) : client_(std::move(cfg)) {}
    delivery_result deliver(const delivery& d) override;

  private:
    client client_;
};

}  // namespace lienthong::adapters::national_axis
