#pragma once
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace lienthong::bus::broker {

/// One message to publish persistently.
struct outgoing_message {
    std::string routing_key;
    std::shared_ptr<const std::string> body;  ///< shared: fan-out copies share the packet bytes
    std::string message_id;
    std::vector<std::pair<std::string, std::string>> headers;  ///< AMQP table, string values
    std::string exchange;  ///< "" = the documents exchange (others: retry steps, dead letters)
};

/// Publishes with publisher confirms.
///
/// Thread-safety: publish(), connected() and blocked() may be called from any thread.
/// Contract: `done` is called exactly once, from the publisher's own thread: with success only
/// after the broker confirmed every message of the batch; with broker_unavailable if any message
/// was nacked, the connection was lost before all confirms, the confirm timed out, or the broker
/// is not connected; with payload_too_large, at once and before anything is sent, if a message
/// body is over broker.max_message_bytes (the broker would close the channel on it). A failed
/// batch may have been partly published; callers must not report it as accepted.
class publisher {
  public:
    using completion = std::function<void(core::result<void>)>;
    virtual ~publisher() = default;
    virtual void publish(std::vector<outgoing_message> messages, completion done) = 0;
    /// publish(), except when the confirms do not come within broker.confirm_timeout_ms: then
    /// `done` gets broker_unavailable with `outcome_pending` set at the deadline, the publisher
    /// keeps waiting on the same connection, and `late` gets the batch's final outcome: success
    /// on the late confirms, a failure on a nack, a return or a lost connection. `late` is
    /// called at most once, and only after such a `done`. The default ignores `late` (a
    /// publisher that never answers before the final outcome needs none).
    virtual void publish_with_late_outcome(std::vector<outgoing_message> messages, completion done,
                                           completion late) {
        (void)late;
        publish(std::move(messages), std::move(done));
    }
    virtual bool connected() const = 0;
    /// The broker blocks publishing (a resource alarm); publish() then fails at once with
    /// broker_unavailable. Thread-safe.
    virtual bool blocked() const { return false; }
};

}  // namespace lienthong::bus::broker
