#pragma once
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "adapters/national_axis/client.hpp"

namespace lienthong::adapters::national_axis {

/// What the bus does with one fetched packet: adapters::inbound_sink (api/adapter.hpp). For the
/// axis, `delivered` is answered with updateStatus done, `permanent_failure` with updateStatus
/// fail and the reason as `description`; after `retryable_failure` the axis lists it again at the
/// next poll. `source_id` is the axis's docId.

/// Counts of one poll round, for logs and tests.
struct poll_report {
    int listed = 0;            ///< documents and status packets listed
    int statuses = 0;          ///< of which status packets
    int accepted = 0;          ///< sink said delivered, and done was sent
    int refused = 0;           ///< sink (or a unreadable getEdoc reply) refused, and fail was sent
    int deferred = 0;          ///< left on the axis for the next round
    bool list_failed = false;  ///< a getReceivedEdocList call (either messagetype) failed
};

/// The inbound direction of the national axis, as integrators of the SDK poll it: for
/// messagetype `edoc`, then `status`: getReceivedEdocList → for each docId getEdoc (base64
/// packet) → sink → updateStatus done/fail, every `poll_interval`, on its own thread.
/// Untrusted replies never throw; every failure is logged and retried at the next round.
class inbound_poller final : public inbound_source {
  public:
    inbound_poller(std::shared_ptr<const config> cfg, inbound_sink sink);
    ~inbound_poller() override;
    inbound_poller(const inbound_poller&) = delete;
    inbound_poller& operator=(const inbound_poller&) = delete;

    /// Starts the polling thread (nothing when poll_interval is 0).
    void start() override;
    /// Stops and joins it; a round in progress finishes its current document first.
    void stop() override;
    /// One round on the calling thread (the thread runs exactly this).
    poll_report poll_once();

  private:
    void poll_kind(message_kind kind, poll_report& report);
    void take(message_kind kind, const std::string& doc_id, poll_report& report);
    bool stop_requested();

    client client_;
    inbound_sink sink_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace lienthong::adapters::national_axis
