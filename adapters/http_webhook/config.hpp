#pragma once
/// http_webhook: POSTs the original signed packet to the agency's URL.
///
/// | setting | required | default | meaning |
/// |---|---|---|---|
/// | `url` | yes | — | `http://` or `https://` endpoint receiving `POST` with the packet |
/// | `timeout_ms` | no | `10000` | whole exchange (connect, TLS, send, reply), 100..600000 |
/// | `ca_file` | no | system store | PEM CA bundle that verifies an https server |
/// | `client_cert` | no | — | PEM client certificate chain for mutual TLS (with `client_key`) |
/// | `client_key` | no | — | PEM private key of `client_cert` |
///
/// Request headers: `Content-Type: application/xml`, `X-Lienthong-Id` (the bus's document id,
/// also sent as `Idempotency-Key` so a receiver can drop a repeat), `X-Lienthong-Document-Id`
/// (edXML DocumentId, percent-encoded UTF-8), `X-Lienthong-Sender`, `X-Lienthong-Recipient`,
/// `X-Lienthong-Attempt`.
///
/// Outcome: 2xx delivered; 408, 429 and 5xx retryable; other statuses permanent; network errors
/// and timeouts retryable.
#include <chrono>
#include <memory>
#include <string>

#include "adapters/api/adapter.hpp"
#include "adapters/common/http_client.hpp"

namespace lienthong::adapters::http_webhook {

struct config {
    std::string url;
    std::chrono::milliseconds timeout{10'000};
    common::tls_options tls;
};

class factory final : public adapter_factory {
  public:
    void validate(const settings& s, const std::string& path,
                  std::vector<std::string>& errors) const override;
    std::unique_ptr<adapter> create(const settings& s) const override;

    /// Parses settings already checked by validate().
    static config parse(const settings& s);
};

}  // namespace lienthong::adapters::http_webhook
