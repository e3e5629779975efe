#pragma once
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "broker/amqp.hpp"
#include "broker/publisher.hpp"
#include "core/result.hpp"

namespace lienthong::bus::broker {

struct queue_stats {
    std::string queue;
    std::uint32_t messages = 0;  ///< ready messages
    std::uint32_t consumers = 0;
};

/// A message in the dead-letter queue, as operators see it.
struct dead_letter {
    std::string id;           ///< bus document id (x-document-id, else message id)
    std::string route;        ///< x-route, else the routing key it was dead-lettered with
    std::string document_id;  ///< edXML DocumentId
    std::string sender;
    std::string recipient;
    std::string attempts;       ///< x-attempt
    std::string reason;         ///< x-dead-letter-reason
    std::string first_failure;  ///< x-first-failure-reason
    std::size_t bytes = 0;
};

/// Which dead letters a replay takes: empty fields match anything.
struct replay_filter {
    std::string id;
    std::string route;
};

/// The operators' view of the broker, on its own connection (opened on first use, reopened after
/// any error): queue depths and consumers, a non-destructive listing of the dead-letter queue,
/// and replay of dead letters to their route.
///
/// Listing takes messages unacknowledged (basic.get) and hands them all back with one nack; the
/// broker redelivers them later in their original order. Replay republishes each matching message
/// to the documents exchange under its route through `publisher` (confirmed), with the attempt
/// counter and failure reasons cleared, and acks the dead letter only after that confirm: a
/// replay interrupted half-way leaves every message somewhere, never nowhere.
///
/// Thread-safety: every method may be called from any thread; calls are serialised (admin
/// traffic is rare). Each call blocks the caller for at most a few broker round trips (RPC
/// timeout per round trip). Errors: broker_unavailable.
class amqp_admin final {
  public:
    amqp_admin(amqp::connect_params params, std::string dead_letter_queue, publisher& publisher);

    /// Depth and consumers of each queue, in order; a missing queue reads as empty.
    core::result<std::vector<queue_stats>> stats(const std::vector<std::string>& queues);
    /// Up to `limit` dead letters, oldest first.
    core::result<std::vector<dead_letter>> dead_letters(std::size_t limit);
    /// Replays up to `limit` dead letters matching `filter`; returns those replayed.
    core::result<std::vector<dead_letter>> replay(const replay_filter& filter, std::size_t limit);

  private:
    core::result<std::vector<queue_stats>> stats_once(const std::vector<std::string>& queues);
    core::result<std::vector<dead_letter>> dead_letters_once(std::size_t limit);
    core::result<std::vector<dead_letter>> replay_once(const replay_filter& filter,
                                                       std::size_t limit);
    /// Runs `once`; if it failed on a connection opened earlier (the broker may have closed it
    /// while idle), runs it once more on a fresh one.
    template <class F>
    auto retried(F once) -> decltype(once());
    core::result<amqp_connection_state_t> connection();
    /// Drops the connection after an error (a channel error closes the channel anyway).
    template <class T>
    core::result<T> fail(core::result<T> r);

    amqp::connect_params params_;
    std::string dead_letter_queue_;
    publisher& publisher_;
    std::mutex mutex_;
    amqp::connection_ptr conn_;
};

}  // namespace lienthong::bus::broker
