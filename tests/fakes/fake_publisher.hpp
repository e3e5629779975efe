#pragma once
// An in-memory publisher: records every batch and answers with a configurable verdict.
#include <mutex>
#include <vector>

#include "broker/publisher.hpp"

namespace lienthong::test {

class fake_publisher final : public bus::broker::publisher {
  public:
    void publish(std::vector<bus::broker::outgoing_message> messages, completion done) override {
        {
            std::lock_guard lock(mutex_);
            batches.push_back(messages);
        }
        if (up) {
            done({});
        } else {
            done(core::fail(core::errc::broker_unavailable, "fake broker is down"));
        }
    }
    /// With `unconfirmed` set, the batch is recorded and `done` hears a confirm timeout
    /// (outcome_pending) at once; the test settles it later through confirm_late().
    void publish_with_late_outcome(std::vector<bus::broker::outgoing_message> messages,
                                   completion done, completion late) override {
        if (!unconfirmed) {
            return publish(std::move(messages), std::move(done));
        }
        {
            std::lock_guard lock(mutex_);
            batches.push_back(std::move(messages));
            late_outcomes.push_back(std::move(late));
        }
        auto f = core::fail(core::errc::broker_unavailable, "fake broker did not confirm in time");
        f.outcome_pending = true;
        done(std::move(f));
    }
    /// The broker's late answer to the oldest timed-out batch.
    void confirm_late(core::result<void> outcome = {}) {
        completion late;
        {
            std::lock_guard lock(mutex_);
            late = std::move(late_outcomes.front());
            late_outcomes.erase(late_outcomes.begin());
        }
        late(std::move(outcome));
    }
    bool connected() const override { return up; }

    bool up = true;
    bool unconfirmed = false;
    std::vector<std::vector<bus::broker::outgoing_message>> batches;
    std::vector<completion> late_outcomes;

  private:
    std::mutex mutex_;
};

}  // namespace lienthong::test
