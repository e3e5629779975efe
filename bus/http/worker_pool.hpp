#pragma once
#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <cstddef>
#include <utility>

namespace lienthong::bus::http {

/// The threads that run request handlers, so that the network threads only read and write
/// sockets: signature checks, XSD validation and tracking-store calls can take milliseconds to
/// seconds, and on a network thread they would stall every connection sharing it. Bounded twice:
/// a fixed number of threads, and at most `max_queued` handlers waiting for one (past that the
/// router answers 503 server-busy at once rather than holding requests and their bodies).
///
/// Thread-safety: try_post() may be called from any thread; stop() from one thread, once the
/// server accepts nothing new.
class worker_pool final {
  public:
    /// `threads` >= 1, `max_queued` >= 1 (config keys listen.worker_threads and
    /// listen.max_queued_requests, validated at start-up).
    worker_pool(std::size_t threads, std::size_t max_queued)
        : pool_(threads), max_queued_(max_queued) {}
    ~worker_pool() { stop(); }
    worker_pool(const worker_pool&) = delete;
    worker_pool& operator=(const worker_pool&) = delete;

    /// Queues `job` (a movable callable taking no arguments; it must not throw). Returns false,
    /// and drops `job` without running it, when `max_queued` jobs are already waiting.
    template <class Job>
    bool try_post(Job&& job) {
        if (waiting_.fetch_add(1) >= max_queued_) {
            waiting_.fetch_sub(1);
            return false;
        }
        boost::asio::post(pool_, [this, job = std::forward<Job>(job)]() mutable {
            waiting_.fetch_sub(1);
            job();
        });
        return true;
    }

    /// Jobs queued and not yet started.
    std::size_t waiting() const noexcept { return waiting_.load(); }

    /// Runs what is queued, then joins the threads. Idempotent.
    void stop() { pool_.join(); }

  private:
    boost::asio::thread_pool pool_;
    std::size_t max_queued_;
    std::atomic<std::size_t> waiting_{0};
};

}  // namespace lienthong::bus::http
