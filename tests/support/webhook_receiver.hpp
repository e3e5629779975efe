#pragma once
// Helpers for delivery tests: a loopback webhook receiver that records every delivery and can be
// told to fail, an agency-directory writer with per-agency subscriptions, and a bus config whose
// broker names are private to the test (so tests sharing one RabbitMQ never see each other's
// messages).
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "support/loopback_http_server.hpp"

namespace lienthong::test {

/// One POST the receiver got.
struct webhook_delivery {
    std::string path;
    std::string id;           ///< X-Lienthong-Id (the bus's document id)
    std::string document_id;  ///< X-Lienthong-Document-Id (percent-encoded)
    std::string sender;
    std::string recipient;
    std::string envelope_signature;   ///< X-Lienthong-Envelope-Signature
    std::string document_signatures;  ///< X-Lienthong-Document-Signatures
    std::string document_verdicts;    ///< X-Lienthong-Document-Verdicts (percent-encoded JSON)
    int attempt = 0;
    std::string body;
    int answered = 0;  ///< the status it answered with
    std::chrono::steady_clock::time_point at;
};

class webhook_receiver final {
  public:
    webhook_receiver();

    unsigned short port() const { return server_->port(); }
    /// The URL a subscription should use, e.g. "http://127.0.0.1:PORT/in/<name>".
    std::string url(const std::string& name = "in") const;

    /// The next `n` requests are answered with `status` (then 200 again).
    void fail_next(int n, int status = 503);
    /// Every request is answered with `status` from now on (0 = back to 200).
    void always_fail(int status);

    /// Every request received so far (failed ones too, see `answered`).
    std::vector<webhook_delivery> received() const;
    /// Requests answered 2xx.
    std::vector<webhook_delivery> delivered() const;
    /// Waits until at least `n` requests were answered 2xx, or `limit` passes.
    bool wait_delivered(std::size_t n, std::chrono::milliseconds limit) const;
    /// Waits until at least `n` requests were received (any answer), or `limit` passes.
    bool wait_received(std::size_t n, std::chrono::milliseconds limit) const;

  private:
    mutable std::mutex mutex_;
    std::vector<webhook_delivery> received_;
    int fail_next_ = 0;
    int fail_status_ = 503;
    int always_ = 0;
    std::unique_ptr<loopback_http_server> server_;  // last: stops before the state goes away
};

/// YAML of one http_webhook subscription list entry (indented for write_directory).
std::string webhook_subscription(const std::string& url, const std::string& extra_yaml = {});

/// Writes a directory with the six demo agencies; `subscriptions` maps an agency code to the
/// YAML list items under its `subscriptions:` key (agencies not named get none). `extra` is
/// appended as top-level YAML (e.g. a national_axis: section). Returns the file path.
std::string write_directory(const std::map<std::string, std::string>& subscriptions,
                            const std::string& extra = {});

/// test_config() with `directory_path` as the agency directory, a queue prefix and documents
/// exchange unique to this call, and `extra` appended (e.g. a delivery: section).
std::string delivery_config(int amqp_port, const std::string& directory_path,
                            const std::string& extra = {},
                            const std::vector<std::string>& token_agencies = {});

/// The queue prefix chosen by delivery_config() for `config_yaml`.
std::string queue_prefix_of(const std::string& config_yaml);

}  // namespace lienthong::test
