#pragma once
#include <condition_variable>
#include <mutex>
#include <set>
#include <string>
#include <utility>

namespace lienthong::bus::delivery {

/// At most one holder per key at a time; acquire() waits for the current holder. The
/// dispatcher holds (document, route) while it checks the delivered set, calls the adapter and
/// records the delivery: a document re-published after an unconfirmed first publish sits in
/// its queue twice, and the two copies must not both pass the check before either is recorded.
class key_lock final {
  public:
    class guard final {
      public:
        guard(key_lock& owner, std::string key) : owner_(&owner), key_(std::move(key)) {}
        guard(guard&& other) noexcept
            : owner_(std::exchange(other.owner_, nullptr)), key_(std::move(other.key_)) {}
        guard(const guard&) = delete;
        guard& operator=(const guard&) = delete;
        guard& operator=(guard&&) = delete;
        ~guard() {
            if (owner_ != nullptr) {
                owner_->release(key_);
            }
        }

      private:
        key_lock* owner_;
        std::string key_;
    };

    guard acquire(std::string key) {
        std::unique_lock lock(mutex_);
        released_.wait(lock, [&] { return !held_.contains(key); });
        held_.insert(key);
        return guard(*this, std::move(key));
    }

  private:
    void release(const std::string& key) {
        {
            std::lock_guard lock(mutex_);
            held_.erase(key);
        }
        released_.notify_all();
    }

    std::mutex mutex_;
    std::condition_variable released_;
    std::set<std::string> held_;
};

}  // namespace lienthong::bus::delivery
