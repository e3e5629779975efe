#pragma once
/// Factory half of the `national_axis` adapter: the client of the national document axis (VXP).
///
/// Settings (flat keys, as every adapter's `settings`):
///
/// | key              | default  | meaning                                                   |
/// |------------------|----------|-----------------------------------------------------------|
/// | endpoint         | required | base URL `http(s)://host[:port][/prefix]`, methods appended |
/// | system_id        | required | the id VPCP issued to this provincial axis                |
/// | secret           | one of   | the shared HMAC-SHA256 key (`XroadVnpt-hash-header`)      |
/// | secret_file      | these    | a file holding that key (one line; a final newline is dropped),
/// | |                  |          | so the key need not sit in the directory file             | |
/// timeout_ms       | 30000    | bounds each request (connect, TLS, write, read); 100..600000 | |
/// poll_interval_ms | 0        | inbound polling period, 100..3600000; 0 = no polling      | |
/// ca_file          | ""       | PEM CA bundle for https ("" = the system trust store)     | |
/// client_cert      | ""       | PEM client certificate chain (mutual TLS), with client_key | |
/// client_key       | ""       | PEM private key of client_cert                            |
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "adapters/api/adapter.hpp"
#include "adapters/common/http_client.hpp"

namespace lienthong::adapters::national_axis {

/// Immutable once parsed; shared by the adapter and the inbound poller.
struct config {
    std::string endpoint;  ///< without a trailing '/'
    std::string system_id;
    std::string secret;
    std::chrono::milliseconds timeout{30'000};
    std::chrono::milliseconds poll_interval{0};
    common::tls_options tls;
};

/// Parses and validates `s`; appends "<path>.<key>: message" for every problem and returns
/// nullptr if there was any.
std::shared_ptr<const config> parse_config(const settings& s, const std::string& path,
                                           std::vector<std::string>& errors);

class factory final : public adapter_factory {
  public:
    void validate(const settings& s, const std::string& path,
                  std::vector<std::string>& errors) const override;
    std::unique_ptr<adapter> create(const settings& s) const override;
    /// The inbound poller (inbound_poller.hpp) when `poll_interval_ms` is above 0, else nullptr.
    std::unique_ptr<inbound_source> create_inbound(const settings& s,
                                                   inbound_sink sink) const override;
};

}  // namespace lienthong::adapters::national_axis
