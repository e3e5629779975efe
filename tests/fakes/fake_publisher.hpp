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
    bool connected() const override { return up; }

    bool up = true;
    std::vector<std::vector<bus::broker::outgoing_message>> batches;

  private:
    std::mutex mutex_;
};

}  // namespace lienthong::test
