#include "broker/amqp_consumer.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <utility>

#include "broker/amqp.hpp"
#include "broker/amqp_envelope.hpp"
#include "broker/backoff.hpp"
#include "core/log.hpp"

namespace lienthong::bus::broker {

namespace {

using clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

/// How long one read waits: bounds how late a settle from a worker is sent to the broker.
constexpr milliseconds read_poll{20};

using amqp::unavailable;

struct settlement {
    std::uint64_t generation;
    std::uint64_t tag;
    bool ack;
    std::size_t bytes;  // of the message's body
};

// Messages handed to the handler on this connection and not yet settled.
struct handed_out {
    std::size_t messages = 0;
    std::size_t bytes = 0;
};

}  // namespace

struct amqp_consumer::impl : std::enable_shared_from_this<impl> {
    impl(config::broker_config c, topology t, std::vector<std::string> q, int p, std::size_t b,
         message_handler h)
        : cfg_(std::move(c)),
          topo_(std::move(t)),
          queues_(std::move(q)),
          prefetch_(p),
          max_in_flight_bytes_(b),
          handler_(std::move(h)) {}

    void run();
    core::result<amqp::connection_ptr> connect();
    /// Serves one connection until it breaks (failure) or stop() has drained (success).
    core::result<void> serve(amqp_connection_state_t conn, std::uint64_t generation);
    /// Sends the settlements that workers queued for this connection.
    core::result<void> flush_settlements(amqp_connection_state_t conn, std::uint64_t generation,
                                         handed_out& out);
    void settle(const settlement& s);
    /// Gives `message` (delivery `tag`) to the handler with a settle function bound to it.
    void hand_out(incoming_message message, std::uint64_t tag, std::uint64_t generation,
                  handed_out& out);
    /// Whether to read no message now: draining (until everything handed out is settled or the
    /// deadline passes: then `done`), or over max_in_flight_bytes. Waits up to read_poll for a
    /// settlement first.
    bool hold_reading(const handed_out& out, bool& done);
    /// Applies a change_queues() request on the live connection (consumer thread).
    core::result<void> apply_change(amqp_connection_state_t conn);

    const config::broker_config cfg_;
    topology topo_;                    // consumer thread; replaced under mutex_
    std::vector<std::string> queues_;  // consumer thread; replaced under mutex_
    const int prefetch_;
    const std::size_t max_in_flight_bytes_;
    const message_handler handler_;
    std::mt19937 rng_{std::random_device{}()};  // consumer thread only

    std::mutex mutex_;
    std::condition_variable wake_;
    std::vector<settlement> settlements_;  // guarded by mutex_
    bool running_ = false;                 // guarded by mutex_
    bool stopping_ = false;                // guarded by mutex_
    clock::time_point drain_deadline_;     // guarded by mutex_
    struct queue_change {
        topology topo;
        std::vector<std::string> queues;
        std::uint64_t number = 0;
    };
    std::optional<queue_change> change_;  // guarded by mutex_: requested, not yet applied
    std::uint64_t requested_ = 0;         // guarded by mutex_
    std::uint64_t applied_ = 0;           // guarded by mutex_
    std::atomic<bool> connected_{false};
    std::thread worker_;
};

core::result<amqp::connection_ptr> amqp_consumer::impl::connect() {
    std::uint64_t adopted = 0;
    {
        // A change requested while disconnected is simply the topology of this connection.
        std::lock_guard lock(mutex_);
        if (change_) {
            topo_ = std::move(change_->topo);
            queues_ = std::move(change_->queues);
            adopted = change_->number;
            change_.reset();
        }
    }
    auto conn = amqp::open_declared(cfg_, topo_);
    if (!conn) {
        return conn;
    }
    // Per-consumer prefetch (quorum queues have no channel-wide one): bounds what is in flight.
    amqp_basic_qos(conn->get(), amqp::channel, 0, static_cast<std::uint16_t>(prefetch_), 0);
    if (auto r = amqp::check_reply(amqp_get_rpc_reply(conn->get()), "basic.qos"); !r) {
        return std::move(r).error();
    }
    for (const auto& q : queues_) {
        amqp_basic_consume(conn->get(), amqp::channel, amqp::bytes(q), amqp::bytes(q),
                           /*no_local=*/0, /*no_ack=*/0, /*exclusive=*/0, amqp_empty_table);
        if (auto r = amqp::check_reply(amqp_get_rpc_reply(conn->get()), "basic.consume " + q); !r) {
            return std::move(r).error();
        }
    }
    if (adopted != 0) {
        std::lock_guard lock(mutex_);
        applied_ = std::max(applied_, adopted);
    }
    wake_.notify_all();
    return conn;
}

core::result<void> amqp_consumer::impl::apply_change(amqp_connection_state_t conn) {
    queue_change c;
    {
        std::lock_guard lock(mutex_);
        if (!change_) {
            return {};
        }
        c = std::move(*change_);
        change_.reset();
    }
    // Adopted first: if the connection breaks half way, the next connect starts from the new set.
    const auto before = std::exchange(queues_, c.queues);
    topo_ = c.topo;
    if (auto r = amqp::declare_topology(conn, amqp::channel, topo_); !r) {
        return r;
    }
    const auto has = [](const std::vector<std::string>& v, const std::string& q) {
        return std::find(v.begin(), v.end(), q) != v.end();
    };
    for (const auto& q : queues_) {
        if (!has(before, q)) {
            amqp_basic_consume(conn, amqp::channel, amqp::bytes(q), amqp::bytes(q), 0, 0, 0,
                               amqp_empty_table);
            if (auto r = amqp::check_reply(amqp_get_rpc_reply(conn), "basic.consume " + q); !r) {
                return r;
            }
        }
    }
    for (const auto& q : before) {
        if (!has(queues_, q)) {
            // Deliveries that crossed the cancel wait in rabbitmq-c's frame queue and are
            // handed out as usual.
            amqp_basic_cancel(conn, amqp::channel, amqp::bytes(q));
            if (auto r = amqp::check_reply(amqp_get_rpc_reply(conn), "basic.cancel " + q); !r) {
                return r;
            }
        }
    }
    {
        std::lock_guard lock(mutex_);
        applied_ = std::max(applied_, c.number);
    }
    wake_.notify_all();
    core::log(core::log_level::info, "consumer.queues_changed",
              {{"queues", std::to_string(queues_.size())}});
    return {};
}

void amqp_consumer::impl::settle(const settlement& s) {
    {
        std::lock_guard lock(mutex_);
        settlements_.push_back(s);
    }
    wake_.notify_all();
}

core::result<void> amqp_consumer::impl::flush_settlements(amqp_connection_state_t conn,
                                                          std::uint64_t generation,
                                                          handed_out& out) {
    std::vector<settlement> batch;
    {
        std::lock_guard lock(mutex_);
        batch.swap(settlements_);
    }
    for (const auto& s : batch) {
        if (s.generation != generation) {
            continue;  // from a lost connection: the broker has requeued that message already
        }
        const int rc = s.ack ? amqp_basic_ack(conn, amqp::channel, s.tag, 0)
                             : amqp_basic_reject(conn, amqp::channel, s.tag, /*requeue=*/1);
        --out.messages;
        out.bytes -= s.bytes;
        if (auto r = amqp::check_status(rc, s.ack ? "basic.ack" : "basic.reject"); !r) {
            return r;
        }
    }
    return {};
}

bool amqp_consumer::impl::hold_reading(const handed_out& out, bool& done) {
    std::unique_lock lock(mutex_);
    if (stopping_) {
        // Draining: read nothing more; prefetched but unread messages are requeued by the
        // broker when the channel closes.
        done = out.messages == 0 || clock::now() >= drain_deadline_;
        if (!done) {
            wake_.wait_until(lock, std::min(drain_deadline_, clock::now() + read_poll),
                             [&] { return !settlements_.empty(); });
        }
        return true;
    }
    if (out.messages == 0 || out.bytes < max_in_flight_bytes_) {
        return false;
    }
    // Over the budget. rabbitmq-c is not called meanwhile, so should nothing settle for two
    // heartbeats (60 s) the broker closes the connection and requeues what was handed out; the
    // delivered set makes those redeliveries harmless.
    wake_.wait_for(lock, read_poll, [&] { return !settlements_.empty() || stopping_; });
    return true;
}

core::result<void> amqp_consumer::impl::serve(amqp_connection_state_t conn,
                                              std::uint64_t generation) {
    handed_out out;
    for (;;) {
        if (auto r = flush_settlements(conn, generation, out); !r) {
            return r;
        }
        if (auto r = apply_change(conn); !r) {
            return r;
        }
        if (bool done = false; hold_reading(out, done)) {
            if (done) {
                return {};
            }
            continue;
        }
        amqp_maybe_release_buffers(conn);
        auto next = read_next(conn, amqp::to_timeval(read_poll));
        if (!next) {
            return next.error();
        }
        if (next->message) {
            hand_out(std::move(*next->message), next->delivery_tag, generation, out);
            continue;
        }
        switch (next->method) {
            case AMQP_CHANNEL_CLOSE_METHOD:
                return unavailable("channel closed by broker");
            case AMQP_CONNECTION_CLOSE_METHOD: {
                amqp_connection_close_ok_t ok{};
                (void)amqp_send_method(conn, 0, AMQP_CONNECTION_CLOSE_OK_METHOD, &ok);
                return unavailable("connection closed by broker");
            }
            case AMQP_BASIC_CANCEL_METHOD:
                return unavailable("consumer cancelled by broker");
            default:
                continue;  // nothing before the timeout, or a method we need not act on
        }
    }
}

void amqp_consumer::impl::hand_out(incoming_message message, std::uint64_t tag,
                                   std::uint64_t generation, handed_out& out) {
    const settlement handed{generation, tag, true, message.body->size()};
    ++out.messages;
    out.bytes += handed.bytes;
    std::weak_ptr<impl> self = weak_from_this();
    handler_(std::move(message), [self, handed](bool ack) {
        if (auto p = self.lock()) {
            settlement s = handed;
            s.ack = ack;
            p->settle(s);
        }
    });
}

void amqp_consumer::impl::run() {
    int attempt = 0;
    std::uint64_t generation = 0;
    for (;;) {
        std::string reason;
        {
            auto conn = connect();
            if (conn) {
                ++generation;
                connected_ = true;
                core::log(core::log_level::info, "consumer.connected",
                          {{"queues", std::to_string(queues_.size())}});
                auto served = serve(conn->get(), generation);
                connected_ = false;
                if (served) {
                    amqp::close(conn->get());
                    break;
                }
                reason = served.error().log_detail;
                attempt = 0;
            } else {
                reason = conn.error().log_detail;
            }
        }
        core::log(core::log_level::warn, "consumer.disconnected", {{"reason", reason}});
        const auto delay = backoff_delay(attempt++, milliseconds{cfg_.reconnect_max_ms},
                                         static_cast<std::uint32_t>(rng_()));
        std::unique_lock lock(mutex_);
        if (wake_.wait_for(lock, delay, [&] { return stopping_; })) {
            break;
        }
    }
}

amqp_consumer::amqp_consumer(config::broker_config cfg, topology topo,
                             std::vector<std::string> queues, int prefetch,
                             std::size_t max_in_flight_bytes, message_handler handler)
    : impl_(std::make_shared<impl>(std::move(cfg), std::move(topo), std::move(queues), prefetch,
                                   max_in_flight_bytes, std::move(handler))) {}

amqp_consumer::~amqp_consumer() { stop(); }

void amqp_consumer::start() {
    std::lock_guard lock(impl_->mutex_);
    if (impl_->running_ || impl_->stopping_) {
        return;
    }
    impl_->running_ = true;
    impl_->worker_ = std::thread([p = impl_.get()] { p->run(); });
}

void amqp_consumer::stop(std::chrono::milliseconds drain) {
    {
        std::lock_guard lock(impl_->mutex_);
        if (!impl_->running_) {
            return;
        }
        impl_->running_ = false;
        impl_->stopping_ = true;
        impl_->drain_deadline_ = clock::now() + drain;
    }
    impl_->wake_.notify_all();
    if (impl_->worker_.joinable()) {
        impl_->worker_.join();
    }
}

bool amqp_consumer::connected() const { return impl_->connected_; }

bool amqp_consumer::change_queues(topology topo, std::vector<std::string> queues,
                                  std::chrono::milliseconds wait) {
    auto& p = *impl_;
    std::unique_lock lock(p.mutex_);
    const auto number = ++p.requested_;
    p.change_ = impl::queue_change{std::move(topo), std::move(queues), number};
    lock.unlock();
    p.wake_.notify_all();
    lock.lock();
    return p.wake_.wait_for(lock, wait, [&] { return p.applied_ >= number; });
}

}  // namespace lienthong::bus::broker
