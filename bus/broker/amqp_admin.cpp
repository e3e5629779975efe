#include "broker/amqp_admin.hpp"

#include <chrono>
#include <future>
#include <memory>
#include <optional>

#include "core/message_contract.hpp"

namespace lienthong::bus::broker {

namespace {

struct message_guard {
    amqp_message_t* m;
    ~message_guard() { amqp_destroy_message(m); }
};

/// One message taken with basic.get (not yet settled).
struct taken {
    std::uint64_t tag = 0;
    std::string routing_key;
    std::string message_id;
    std::vector<std::pair<std::string, std::string>> headers;  ///< string entries only
    std::shared_ptr<const std::string> body;

    std::string header(std::string_view name) const {
        for (const auto& [k, v] : headers) {
            if (k == name) {
                return v;
            }
        }
        return {};
    }
};

/// The next message of `queue` without acking it; nullopt when the queue is empty.
core::result<std::optional<taken>> take(amqp_connection_state_t conn, const std::string& queue) {
    const amqp_rpc_reply_t reply =
        amqp_basic_get(conn, amqp::channel, amqp::bytes(queue), /*no_ack=*/0);
    if (auto r = amqp::check_reply(reply, "basic.get " + queue); !r) {
        return std::move(r).error();
    }
    if (reply.reply.id == AMQP_BASIC_GET_EMPTY_METHOD) {
        return std::optional<taken>{};
    }
    const auto* ok = static_cast<const amqp_basic_get_ok_t*>(reply.reply.decoded);
    taken t;
    t.tag = ok->delivery_tag;
    t.routing_key = amqp::to_string(ok->routing_key);
    amqp_message_t message{};
    if (auto r = amqp::check_reply(amqp_read_message(conn, amqp::channel, &message, 0),
                                   "read message from " + queue);
        !r) {
        return std::move(r).error();
    }
    message_guard guard{&message};
    t.body = std::make_shared<const std::string>(amqp::to_string(message.body));
    const auto& p = message.properties;
    if (p._flags & AMQP_BASIC_MESSAGE_ID_FLAG) {
        t.message_id = amqp::to_string(p.message_id);
    }
    if (p._flags & AMQP_BASIC_HEADERS_FLAG) {
        for (int i = 0; i < p.headers.num_entries; ++i) {
            const auto& e = p.headers.entries[i];
            // x-death and other broker tables are left behind on purpose: a replay starts over.
            if (e.value.kind == AMQP_FIELD_KIND_UTF8 || e.value.kind == AMQP_FIELD_KIND_BYTES) {
                t.headers.emplace_back(amqp::to_string(e.key),
                                       amqp::to_string(e.value.value.bytes));
            }
        }
    }
    return std::optional<taken>{std::move(t)};
}

dead_letter describe(const taken& t) {
    dead_letter d;
    d.id = t.header(core::header::document_id).empty() ? t.message_id
                                                       : t.header(core::header::document_id);
    d.route = t.header(core::header::route).empty() ? t.routing_key : t.header(core::header::route);
    d.document_id = t.header(core::header::edxml_document_id);
    d.sender = t.header(core::header::sender);
    d.recipient = t.header(core::header::recipient);
    d.attempts = t.header(core::header::attempt);
    d.reason = t.header(core::header::dead_reason);
    d.first_failure = t.header(core::header::first_failure);
    d.bytes = t.body ? t.body->size() : 0;
    return d;
}

/// Hands back every message taken on the channel and not yet acked (multiple nack, requeue).
core::result<void> give_back(amqp_connection_state_t conn, std::uint64_t last_tag) {
    if (last_tag == 0) {
        return {};
    }
    return amqp::check_status(amqp_basic_nack(conn, amqp::channel, last_tag, /*multiple=*/1,
                                              /*requeue=*/1),
                              "basic.nack");
}

}  // namespace

amqp_admin::amqp_admin(amqp::connect_params params, std::string dead_letter_queue,
                       publisher& publisher)
    : params_(std::move(params)),
      dead_letter_queue_(std::move(dead_letter_queue)),
      publisher_(publisher) {}

core::result<amqp_connection_state_t> amqp_admin::connection() {
    if (!conn_) {
        auto c = amqp::open(params_);
        if (!c) {
            return std::move(c).error();
        }
        conn_ = std::move(*c);
    }
    return conn_.get();
}

template <class T>
core::result<T> amqp_admin::fail(core::result<T> r) {
    if (conn_) {
        amqp::close(conn_.get());  // also hands back whatever this connection had taken
        conn_.reset();
    }
    return r;
}

template <class F>
auto amqp_admin::retried(F once) -> decltype(once()) {
    std::lock_guard lock(mutex_);
    const bool reused = conn_ != nullptr;
    auto r = once();
    if (!r && reused) {
        r = once();
    }
    return r;
}

core::result<std::vector<queue_stats>> amqp_admin::stats(const std::vector<std::string>& queues) {
    return retried([&] { return stats_once(queues); });
}

core::result<std::vector<dead_letter>> amqp_admin::dead_letters(std::size_t limit) {
    return retried([&] { return dead_letters_once(limit); });
}

core::result<std::vector<dead_letter>> amqp_admin::replay(const replay_filter& filter,
                                                          std::size_t limit) {
    return retried([&] { return replay_once(filter, limit); });
}

core::result<std::vector<queue_stats>> amqp_admin::stats_once(
    const std::vector<std::string>& queues) {
    std::vector<queue_stats> out;
    for (const auto& q : queues) {
        auto conn = connection();
        if (!conn) {
            return std::move(conn).error();
        }
        const auto* ok = amqp_queue_declare(*conn, amqp::channel, amqp::bytes(q), /*passive=*/1, 0,
                                            0, 0, amqp_empty_table);
        if (auto r = amqp::check_reply(amqp_get_rpc_reply(*conn), "passive declare " + q);
            !r || ok == nullptr) {
            // Most likely 404 (not declared yet): the channel is closed, so start over for the
            // next queue and report this one as empty.
            (void)fail(core::result<void>{});
            out.push_back({q, 0, 0});
            continue;
        }
        out.push_back({q, ok->message_count, ok->consumer_count});
    }
    return out;
}

core::result<std::vector<dead_letter>> amqp_admin::dead_letters_once(std::size_t limit) {
    auto conn = connection();
    if (!conn) {
        return std::move(conn).error();
    }
    std::vector<dead_letter> out;
    std::uint64_t last_tag = 0;
    while (out.size() < limit) {
        auto t = take(*conn, dead_letter_queue_);
        if (!t) {
            return fail(core::result<std::vector<dead_letter>>(std::move(t).error()));
        }
        if (!*t) {
            break;
        }
        last_tag = (*t)->tag;
        out.push_back(describe(**t));
    }
    if (auto r = give_back(*conn, last_tag); !r) {
        return fail(core::result<std::vector<dead_letter>>(std::move(r).error()));
    }
    return out;
}

core::result<std::vector<dead_letter>> amqp_admin::replay_once(const replay_filter& filter,
                                                               std::size_t limit) {
    auto conn = connection();
    if (!conn) {
        return std::move(conn).error();
    }
    std::vector<dead_letter> replayed;
    std::uint64_t last_tag = 0;
    // Bounded scan: at most the queue's content once (taken messages are not handed out again on
    // this channel until given back) and at most 100,000 messages per call.
    for (std::size_t scanned = 0; replayed.size() < limit && scanned < 100'000; ++scanned) {
        auto t = take(*conn, dead_letter_queue_);
        if (!t) {
            return fail(core::result<std::vector<dead_letter>>(std::move(t).error()));
        }
        if (!*t) {
            break;
        }
        const taken& m = **t;
        last_tag = m.tag;
        auto d = describe(m);
        if ((!filter.id.empty() && d.id != filter.id) ||
            (!filter.route.empty() && d.route != filter.route)) {
            continue;
        }
        outgoing_message copy{d.route, m.body, m.message_id, {}, {}};
        for (const auto& [k, v] : m.headers) {
            if (k != core::header::attempt && k != core::header::dead_reason &&
                k != core::header::last_failure && k != core::header::first_failure) {
                copy.headers.emplace_back(k, v);
            }
        }
        auto confirmed = std::make_shared<std::promise<core::result<void>>>();
        auto future = confirmed->get_future();
        std::vector<outgoing_message> batch;
        batch.push_back(std::move(copy));
        publisher_.publish(std::move(batch), [confirmed](core::result<void> r) {
            confirmed->set_value(std::move(r));
        });
        // The publisher always answers within its confirm timeout; the bound is a safety net.
        if (future.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
            break;  // given back below, like everything not yet acked
        }
        if (auto r = future.get(); !r) {
            (void)give_back(*conn, last_tag);
            return fail(core::result<std::vector<dead_letter>>(std::move(r).error()));
        }
        // The copy is confirmed in its route queue: only now may the dead letter go.
        if (auto r =
                amqp::check_status(amqp_basic_ack(*conn, amqp::channel, m.tag, 0), "basic.ack");
            !r) {
            // The copy is queued but the dead letter stays: a later replay may deliver it
            // again, which the delivered set of the tracking store absorbs.
            return fail(core::result<std::vector<dead_letter>>(std::move(r).error()));
        }
        replayed.push_back(std::move(d));
    }
    if (auto r = give_back(*conn, last_tag); !r) {
        return fail(core::result<std::vector<dead_letter>>(std::move(r).error()));
    }
    return replayed;
}

}  // namespace lienthong::bus::broker
