#include "broker/amqp_publisher.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <random>
#include <thread>

#include "broker/amqp.hpp"
#include "broker/backoff.hpp"
#include "broker/confirm_tracker.hpp"
#include "broker/publisher_frames.hpp"
#include "core/log.hpp"

namespace lienthong::bus::broker {

namespace {

using std::chrono::milliseconds;

/// How often an idle worker lets rabbitmq-c send heartbeats and notices broker-side closes.
constexpr milliseconds idle_poll{500};

using amqp::unavailable;
using namespace publisher_frames;

struct pending_batch {
    std::vector<outgoing_message> messages;
    publisher::completion done;
    publisher::completion late;  // may be empty (publish_with_late_outcome)
};

void complete(std::vector<confirm_tracker::finished_batch> finished) {
    for (auto& [done, outcome] : finished) {
        done(std::move(outcome));
    }
}

// The answer at the confirm deadline: the messages went out, the broker has not said yet.
core::failure unconfirmed(int timeout_ms) {
    auto f = core::fail(core::errc::broker_unavailable,
                        "the message broker did not confirm within " + std::to_string(timeout_ms) +
                            " ms: the outcome is not known yet");
    f.log_detail = "publisher confirm timed out; still waiting on the same connection";
    f.outcome_pending = true;
    return f;
}

void fail_batches(std::deque<pending_batch>& batches, const std::string& reason) {
    for (auto& b : batches) {
        b.done(unavailable(reason));
    }
    batches.clear();
}

}  // namespace

struct amqp_publisher::impl {
    impl(config::broker_config c, topology t) : cfg_(std::move(c)), topo_(std::move(t)) {
        if (topo_.exchange.empty()) {
            topo_.exchange = cfg_.exchange;
        }
    }

    void run();
    core::result<amqp::connection_ptr> connect();
    /// Serves one connection until it breaks (returns the failure) or stop() (returns success).
    core::result<void> serve(amqp_connection_state_t conn);
    /// Publishes every batch of `round` and registers it with `tracker`; on a broken socket fails
    /// the round and everything tracked, and returns the failure.
    core::result<void> publish_round(amqp_connection_state_t conn, std::deque<pending_batch>& round,
                                     confirm_tracker& tracker, std::uint64_t& next_tag);
    /// Sleeps until `deadline`, failing at once every batch published meanwhile, since there is
    /// no connection. Returns false when stop() was called.
    bool wait_disconnected(clock::time_point deadline, const std::string& reason);

    const config::broker_config cfg_;
    topology topo_;  // queues and exchanges guarded by mutex_; the exchange name never changes
    std::mt19937 rng_{std::random_device{}()};  // worker thread only

    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<pending_batch> queue_;  // guarded by mutex_
    bool running_ = false;             // guarded by mutex_
    bool stopping_ = false;            // guarded by mutex_
    std::atomic<bool> connected_{false};
    std::atomic<bool> blocked_{false};  // connection.blocked seen, no unblocked since
    std::thread worker_;
};

core::result<amqp::connection_ptr> amqp_publisher::impl::connect() {
    topology topo;
    {
        std::lock_guard lock(mutex_);
        topo = topo_;
    }
    auto conn = amqp::open_declared(cfg_, topo);
    if (!conn) {
        return conn;
    }
    amqp_confirm_select(conn->get(), amqp::channel);
    if (auto r = amqp::check_reply(amqp_get_rpc_reply(conn->get()), "confirm.select"); !r) {
        return std::move(r).error();
    }
    return conn;
}

bool amqp_publisher::impl::wait_disconnected(clock::time_point deadline,
                                             const std::string& reason) {
    for (;;) {
        std::deque<pending_batch> rejected;
        bool stop = false;
        {
            std::unique_lock lock(mutex_);
            wake_.wait_until(lock, deadline, [&] { return stopping_ || !queue_.empty(); });
            rejected.swap(queue_);
            stop = stopping_;
        }
        fail_batches(rejected, reason);
        if (stop) {
            return false;
        }
        if (clock::now() >= deadline) {
            return true;
        }
    }
}

core::result<void> amqp_publisher::impl::publish_round(amqp_connection_state_t conn,
                                                       std::deque<pending_batch>& round,
                                                       confirm_tracker& tracker,
                                                       std::uint64_t& next_tag) {
    while (!round.empty()) {
        auto batch = std::move(round.front());
        round.pop_front();
        const std::uint64_t first_tag = next_tag;
        std::vector<confirm_tracker::message_key> keys;
        keys.reserve(batch.messages.size());
        for (const auto& m : batch.messages) {
            if (auto r = publish_one(conn, topo_.exchange, m); !r) {
                // The socket is broken: nothing of this round can be confirmed any more.
                batch.done(r.error());
                fail_batches(round, r.error().log_detail);
                tracker.fail_all(r.error());
                complete(tracker.take_finished());
                return r;
            }
            keys.push_back({m.routing_key, m.message_id});
            ++next_tag;
        }
        tracker.add(first_tag, std::move(keys), std::move(batch.done), std::move(batch.late));
    }
    complete(tracker.take_finished());  // empty batches
    return {};
}

core::result<void> amqp_publisher::impl::serve(amqp_connection_state_t conn) {
    confirm_tracker tracker;
    std::uint64_t next_tag = 1;  // confirm mode numbers deliveries per channel from 1
    for (;;) {
        std::deque<pending_batch> round;
        bool stop = false;
        {
            std::unique_lock lock(mutex_);
            wake_.wait_for(lock, idle_poll, [&] { return stopping_ || !queue_.empty(); });
            round.swap(queue_);
            stop = stopping_;
        }
        if (stop) {
            fail_batches(round, "publisher is stopping");
            tracker.fail_all(unavailable("publisher is stopping"));
            complete(tracker.take_finished());
            return {};
        }
        if (round.empty()) {
            // Idle: a zero-timeout read sends due heartbeats and surfaces a broker-side close.
            amqp_frame_t frame;
            const timeval zero{0, 0};
            const int rc = amqp_simple_wait_frame_noblock(conn, &frame, &zero);
            if (rc == AMQP_STATUS_TIMEOUT) {
                continue;
            }
            auto r = amqp::check_status(rc, "idle read");
            if (r) {
                // Late confirms of timed-out batches arrive here too.
                r = handle_frame(conn, frame, tracker, clock::now() + idle_poll, blocked_);
            }
            amqp_maybe_release_buffers(conn);
            if (!r) {
                tracker.fail_all(r.error());
                complete(tracker.take_finished());
                return r;
            }
            complete(tracker.take_finished());
            continue;
        }

        // Publish the whole round, then wait once for all its confirms.
        if (auto r = publish_round(conn, round, tracker, next_tag); !r) {
            return r;
        }
        const auto deadline = clock::now() + milliseconds{cfg_.confirm_timeout_ms};
        while (tracker.awaiting_answer()) {
            amqp_frame_t frame;
            bool timed_out = false;
            auto r =
                wait_frame(conn, frame, deadline, "waiting for publisher confirms", &timed_out);
            if (timed_out) {
                // Answer the callers now, but keep the connection: the broker may still confirm
                // (e.g. it held the messages during a resource alarm), and those late confirms
                // settle the batches (heartbeats still detect a dead connection).
                tracker.time_out(unconfirmed(cfg_.confirm_timeout_ms));
                complete(tracker.take_finished());
                break;
            }
            if (r) {
                r = handle_frame(conn, frame, tracker, deadline, blocked_);
            }
            amqp_maybe_release_buffers(conn);
            if (!r) {
                tracker.fail_all(r.error());
                complete(tracker.take_finished());
                return r;
            }
            complete(tracker.take_finished());
        }
        // A nack is an answer, but also a sign that this channel's view of a quorum queue is
        // stale: after its leader's node died, RabbitMQ 3.10 kept nacking every publish on the
        // channels that published during the election (seen for over a minute in the cluster
        // test) while a new channel was served at once. So once nothing is outstanding, start
        // over on a new connection (the callers already had their 503).
        if (tracker.take_nacked() && tracker.idle()) {
            return core::result<void>(unavailable(
                "the broker rejected a publish (nack); reconnecting for a fresh channel"));
        }
    }
}

void amqp_publisher::impl::run() {
    int attempt = 0;
    for (;;) {
        std::string reason;
        {
            auto conn = connect();
            if (conn) {
                blocked_ = false;  // a new connection starts unblocked; the broker says otherwise
                connected_ = true;
                auto served = serve(conn->get());
                connected_ = false;
                blocked_ = false;
                if (served) {
                    amqp::close(conn->get());  // stop(): leave cleanly
                    break;
                }
                reason = served.error().log_detail;
                attempt = 0;  // it did connect: retry from the shortest delay, but not at once
            } else {
                reason = conn.error().log_detail;
            }
        }  // a broken connection is destroyed here, before sleeping
        const auto delay = backoff_delay(attempt++, milliseconds{cfg_.reconnect_max_ms},
                                         static_cast<std::uint32_t>(rng_()));
        if (!wait_disconnected(clock::now() + delay, reason)) {
            break;
        }
    }
    std::deque<pending_batch> rest;
    {
        std::lock_guard lock(mutex_);
        rest.swap(queue_);
    }
    fail_batches(rest, "publisher stopped");
}

amqp_publisher::amqp_publisher(config::broker_config cfg, topology topo)
    : impl_(std::make_unique<impl>(std::move(cfg), std::move(topo))) {}

amqp_publisher::~amqp_publisher() { stop(); }

void amqp_publisher::start() {
    std::lock_guard lock(impl_->mutex_);
    if (impl_->running_ || impl_->stopping_) {
        return;
    }
    impl_->running_ = true;
    impl_->worker_ = std::thread([p = impl_.get()] { p->run(); });
}

void amqp_publisher::stop() {
    {
        std::lock_guard lock(impl_->mutex_);
        if (!impl_->running_) {
            return;
        }
        impl_->running_ = false;
        impl_->stopping_ = true;
    }
    impl_->wake_.notify_all();
    if (impl_->worker_.joinable()) {
        impl_->worker_.join();
    }
}

void amqp_publisher::publish(std::vector<outgoing_message> messages, completion done) {
    publish_with_late_outcome(std::move(messages), std::move(done), nullptr);
}

void amqp_publisher::publish_with_late_outcome(std::vector<outgoing_message> messages,
                                               completion done, completion late) {
    // RabbitMQ answers an oversized message by closing the channel, which fails every batch in
    // flight on it; refuse it here so that only its own sender hears of it.
    const std::size_t limit = impl_->cfg_.max_message_bytes;
    for (const auto& m : messages) {
        if (m.body && m.body->size() > limit) {
            auto f = core::fail(core::errc::payload_too_large,
                                "the packet is " + std::to_string(m.body->size()) +
                                    " bytes, over the broker's limit of " + std::to_string(limit) +
                                    " bytes");
            f.log_detail = "broker.max_message_bytes=" + std::to_string(limit) + ", routing key " +
                           m.routing_key;
            done(std::move(f));
            return;
        }
    }
    if (impl_->blocked_) {
        // A resource alarm: the broker would hold the message and its confirm until the alarm
        // clears, so the sender would wait for a timeout; tell it at once.
        auto f = core::fail(core::errc::broker_unavailable,
                            "the message broker is not taking documents now (resource alarm); "
                            "nothing was accepted, retry later");
        f.log_detail = "connection.blocked";
        done(std::move(f));
        return;
    }
    {
        std::lock_guard lock(impl_->mutex_);
        if (impl_->running_) {
            impl_->queue_.push_back({std::move(messages), std::move(done), std::move(late)});
            done = nullptr;
        }
    }
    if (done) {
        // No worker to hand it to (never started or stopped): fail here, exactly once.
        done(unavailable("publisher is not running"));
        return;
    }
    impl_->wake_.notify_one();
}

bool amqp_publisher::connected() const { return impl_->connected_; }

bool amqp_publisher::blocked() const { return impl_->blocked_; }

void amqp_publisher::set_topology(topology topo) {
    std::lock_guard lock(impl_->mutex_);
    impl_->topo_.queues = std::move(topo.queues);
    impl_->topo_.exchanges = std::move(topo.exchanges);
}

}  // namespace lienthong::bus::broker
