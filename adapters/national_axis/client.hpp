#pragma once
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/common/http_client.hpp"
#include "adapters/national_axis/config.hpp"
#include "adapters/national_axis/protocol.hpp"

namespace lienthong::adapters::national_axis {

/// Signed calls to the axis, shaped as the real client (SDKVXP-2.0.1) sends them; see
/// protocol.hpp and the capture tests/data/edxml-real/wire/vnpt-sdkvxp-2.0.1_requests.txt.
/// Every call carries servicetype=eDoc and the messagetype of its kind. Unlike the SDK's client
/// object, nothing is carried over from one call to the next: each call sends only its own keys.
/// Thread-safe (no shared mutable state); never throws (failures are in http_result).
class client final {
  public:
    using clock_fn = std::function<std::chrono::system_clock::time_point()>;

    /// `now`: the clock for `timestamp` (tests fix it).
    explicit client(
        std::shared_ptr<const config> cfg,
        clock_fn now = [] { return std::chrono::system_clock::now(); })
        : cfg_(std::move(cfg)), now_(std::move(now)) {}

    /// sendEdoc: from, [to] (omitted when empty), hash-file; body = packet + CRLF,
    /// application/octet-stream.
    common::http_result send_edoc(std::string_view packet, const std::string& from,
                                  const std::vector<std::string>& to, message_kind kind) const;
    /// getReceivedEdocList for one messagetype; empty body, application/json.
    common::http_result list_received(message_kind kind) const;
    /// getEdoc: docId, filePath (fetch_file_path); body `{}`, application/json.
    common::http_result get_edoc(const std::string& doc_id, message_kind kind) const;
    /// updateStatus: docId, status and, when not empty, `description` (made header_safe());
    /// body `{}`, application/json.
    common::http_result update_status(const std::string& doc_id, message_kind kind,
                                      std::string_view status,
                                      std::string_view description = {}) const;

    /// Any call: POST {endpoint}/{method} with the signed headers of `logical`.
    common::http_result call(std::string_view method, const header_list& logical,
                             std::string body = {},
                             std::string_view content_type = "application/json") const;

    const config& settings() const { return *cfg_; }

  private:
    std::shared_ptr<const config> cfg_;
    clock_fn now_;
};

/// The `filePath` of getEdoc. In the SDK it names the caller's local folder where the client saves
/// the packet, and travels as a header only because every key of the call does; the axis is not
/// known to use it. A relative folder name, as in the capture, keeps the request the real shape.
inline constexpr std::string_view fetch_file_path = "xml";

}  // namespace lienthong::adapters::national_axis
