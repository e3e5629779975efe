#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "broker/publisher.hpp"
#include "core/result.hpp"

namespace lienthong::bus::broker {

/// Maps publisher-confirm delivery tags of one channel back to the batches they belong to and
/// decides each batch's outcome. Pure bookkeeping (no I/O), so the ack / nack / multiple / return
/// rules are unit-testable. Not thread-safe: owned by the publisher's worker thread.
class confirm_tracker final {
  public:
    /// Identifies a published message in a basic.return, which carries no delivery tag.
    struct message_key {
        std::string routing_key;
        std::string message_id;
    };
    using finished_batch = std::pair<publisher::completion, core::result<void>>;

    /// Registers a batch whose messages were published with tags first_tag, first_tag + 1, ...
    /// An empty batch finishes at once with success. `late` (may be empty): see time_out.
    void add(std::uint64_t first_tag, std::vector<message_key> keys, publisher::completion done,
             publisher::completion late = {});

    void ack(std::uint64_t tag, bool multiple);
    void nack(std::uint64_t tag, bool multiple);
    /// basic.return (unroutable, mandatory): fails every outstanding batch holding a message with
    /// this routing key and id. The broker still acks the message afterwards; that ack settles it.
    void returned(std::string_view routing_key, std::string_view message_id,
                  std::string_view reason);
    /// The confirm deadline passed: every batch still waiting for its first answer gets `why`
    /// through `done` now, and stays tracked: when its last confirm, nack or return arrives (or
    /// fail_all), its `late` completion, if it has one, gets the final outcome.
    void time_out(const core::failure& why);
    /// Connection lost: every outstanding batch fails with `why` (through `late` for a batch
    /// that was already answered by time_out).
    void fail_all(const core::failure& why);

    /// No tag is outstanding.
    bool idle() const noexcept { return tags_.empty(); }
    /// Whether a nack arrived since the last call (then cleared).
    bool take_nacked() noexcept { return std::exchange(nacked_, false); }
    /// Some batch has not had its first answer (`done`) yet.
    bool awaiting_answer() const noexcept { return unanswered_ > 0; }
    /// Batches decided since the last call, to be completed by the caller (outside any lock).
    std::vector<finished_batch> take_finished();

  private:
    struct batch {
        publisher::completion done;  ///< empty once answered by time_out
        publisher::completion late;
        std::uint64_t first_tag = 0;
        std::vector<message_key> keys;
        std::size_t outstanding = 0;
        std::string failure;  ///< empty while the batch is still good
    };

    void settle(std::uint64_t tag, std::string_view failure);
    void finish(batch& b, core::result<void> outcome);
    void settle_range(std::uint64_t tag, bool multiple, std::string_view failure);

    std::uint64_t next_id_ = 0;
    std::map<std::uint64_t, batch> batches_;       ///< by batch id
    std::map<std::uint64_t, std::uint64_t> tags_;  ///< outstanding delivery tag -> batch id
    std::vector<finished_batch> finished_;
    std::size_t unanswered_ = 0;  ///< batches whose `done` has not been called
    bool nacked_ = false;
};

}  // namespace lienthong::bus::broker
