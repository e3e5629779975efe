#include "delivery/dispatcher.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <exception>
#include <utility>

#include "core/log.hpp"

namespace lienthong::bus::delivery {

namespace {

/// Failure reasons travel in headers and logs: keep them readable and bounded.
std::string clip(std::string s) {
    constexpr std::size_t max = 500;
    if (s.size() > max) {
        s.resize(max);
        s += "...";
    }
    return s;
}

int attempt_of(const broker::incoming_message& m) {
    try {
        const auto v = m.header(header::attempt);
        return v.empty() ? 1 : std::max(1, std::stoi(v));
    } catch (const std::exception&) {
        return 1;  // an unreadable header must not stop the delivery
    }
}

adapters::delivery_result call_adapter(adapters::adapter& a, const adapters::delivery& d) {
    // The contract says deliver() does not throw; a third-party plugin might anyway.
    try {
        return a.deliver(d);
    } catch (const std::exception& e) {
        return {adapters::outcome::retryable_failure, std::string("adapter threw: ") + e.what()};
    } catch (...) {
        return {adapters::outcome::retryable_failure, "adapter threw an unknown exception"};
    }
}

}  // namespace

struct dispatcher::live_route {
    route_binding binding;
    bool started = false;
    explicit live_route(route_binding b) : binding(std::move(b)) {}
    live_route(const live_route&) = delete;
    live_route& operator=(const live_route&) = delete;
    ~live_route() {
        if (started) {
            binding.adapter->stop();
        }
    }
};

dispatcher::dispatcher(routing::naming names, std::vector<route_binding> routes,
                       std::vector<std::chrono::milliseconds> default_schedule,
                       broker::publisher& publisher, store::tracking_store& store, int workers)
    : names_(std::move(names)),
      default_schedule_(std::move(default_schedule)),
      publisher_(publisher),
      store_(store),
      pool_(static_cast<std::size_t>(std::max(1, workers))) {
    add_routes(std::move(routes));
}

dispatcher::~dispatcher() { stop(); }

std::vector<std::string> dispatcher::queues() const {
    std::lock_guard lock(routes_mutex_);
    return order_;
}

void dispatcher::add_routes(std::vector<route_binding> routes) {
    std::vector<std::shared_ptr<live_route>> replaced;  // stopped outside the lock, when unused
    std::lock_guard lock(routes_mutex_);
    for (auto& r : routes) {
        auto queue = names_.route_queue(r.route.name);
        auto live = std::make_shared<live_route>(std::move(r));
        if (started_) {
            live->binding.adapter->start();
            live->started = true;
        }
        auto [it, added] = by_queue_.try_emplace(queue, live);
        if (added) {
            order_.push_back(std::move(queue));
        } else {
            replaced.push_back(std::exchange(it->second, std::move(live)));
        }
    }
}

void dispatcher::remove_routes(const std::vector<std::string>& names) {
    std::vector<std::shared_ptr<live_route>> removed;
    std::lock_guard lock(routes_mutex_);
    for (const auto& name : names) {
        const auto queue = names_.route_queue(name);
        if (auto it = by_queue_.find(queue); it != by_queue_.end()) {
            removed.push_back(std::move(it->second));
            by_queue_.erase(it);
            order_.erase(std::find(order_.begin(), order_.end(), queue));
        }
    }
}

void dispatcher::start() {
    std::lock_guard lock(routes_mutex_);
    if (started_) {
        return;
    }
    started_ = true;
    for (const auto& q : order_) {
        auto& live = *by_queue_.at(q);
        live.binding.adapter->start();
        live.started = true;
    }
}

void dispatcher::stop() {
    if (stopped_) {
        return;
    }
    stopped_ = true;
    pool_.join();
    // In reverse order of start; the adapters themselves live as long as the dispatcher.
    std::lock_guard lock(routes_mutex_);
    for (auto it = order_.rbegin(); it != order_.rend(); ++it) {
        auto& live = *by_queue_.at(*it);
        if (std::exchange(live.started, false)) {
            live.binding.adapter->stop();
        }
    }
}

void dispatcher::handle(broker::incoming_message message, broker::settle_fn settle) {
    std::shared_ptr<live_route> r;
    {
        std::lock_guard lock(routes_mutex_);
        if (auto it = by_queue_.find(message.queue); it != by_queue_.end()) {
            r = it->second;
        }
    }
    if (!r) {
        // A route a reload just removed (the message stays in its queue), or a wiring bug.
        core::log(core::log_level::warn, "delivery.unknown_queue", {{"queue", message.queue}});
        return settle(false);
    }
    boost::asio::post(pool_, [this, r = std::move(r), m = std::move(message),
                              settle = std::move(settle)] { deliver(r->binding, m, settle); });
}

void dispatcher::deliver(const route_binding& r, const broker::incoming_message& m,
                         const broker::settle_fn& settle) {
    const auto& route = r.route.name;
    const auto meta = core::decode_headers([&m](const char* name) { return m.header(name); });
    adapters::delivery d{meta.id,
                         meta.edxml_document_id,
                         meta.sender,
                         meta.recipients,
                         m.body,
                         attempt_of(m),
                         meta.kind,
                         meta.envelope_signature,
                         meta.document_signatures,
                         meta.document_verdicts};
    if (d.id.empty()) {
        d.id = m.message_id;
    }
    const auto claim = in_flight_.acquire(d.id + '\n' + route);
    if (auto done = store_.is_delivered(d.id, route); done && *done) {
        core::log(core::log_level::info, "delivery.duplicate_skipped",
                  {{"id", d.id}, {"route", route}});
        return settle(true);
    } else if (!done) {
        // Without the store we cannot tell: delivering again beats losing the document.
        core::log(core::log_level::warn, "delivery.store_unavailable",
                  {{"id", d.id}, {"route", route}, {"detail", done.error().log_detail}});
    }

    const auto result = call_adapter(*r.adapter, d);
    if (result.result == adapters::outcome::delivered) {
        if (auto marked = store_.mark_delivered(
                d.id, route,
                {d.id, core::event::delivered, route, "attempt " + std::to_string(d.attempt), 0});
            !marked) {
            core::log(core::log_level::error, "delivery.mark_failed",
                      {{"id", d.id}, {"route", route}, {"detail", marked.error().log_detail}});
        }
        core::log(core::log_level::info, "delivery.delivered",
                  {{"id", d.id}, {"route", route}, {"attempt", std::to_string(d.attempt)}});
        return settle(true);
    }
    const bool permanent = result.result == adapters::outcome::permanent_failure;
    const auto reason = clip(result.reason.empty() ? "no reason given" : result.reason);
    (void)store_.add_event({d.id, core::event::attempt, route,
                            (permanent ? "permanent failure: " : "retryable failure: ") + reason,
                            0});
    forward(r, m, settle, d.attempt, reason, permanent);
}

void dispatcher::forward(const route_binding& r, const broker::incoming_message& m,
                         const broker::settle_fn& settle, int attempt, const std::string& reason,
                         bool permanent) {
    const auto& schedule =
        r.route.retry_schedule.empty() ? default_schedule_ : r.route.retry_schedule;
    const bool retry = !permanent && static_cast<std::size_t>(attempt) <= schedule.size();

    broker::outgoing_message copy{r.route.name, m.body, m.message_id, {}, {}};
    for (const auto& [k, v] : m.headers) {
        if (k != header::attempt && k != header::last_failure && k != header::dead_reason) {
            copy.headers.emplace_back(k, v);
        }
    }
    if (m.header(header::first_failure).empty()) {
        copy.headers.emplace_back(header::first_failure, reason);
    }
    if (m.header(header::route).empty()) {
        copy.headers.emplace_back(header::route, r.route.name);
    }
    copy.headers.emplace_back(header::last_failure, reason);
    const std::string id =
        m.header(header::document_id).empty() ? m.message_id : m.header(header::document_id);
    std::string event;
    if (retry) {
        const auto delay = schedule[static_cast<std::size_t>(attempt) - 1];
        copy.exchange = names_.retry_queue(delay);
        copy.headers.emplace_back(header::attempt, std::to_string(attempt + 1));
        event = "delivery.retry_scheduled";
        core::log(core::log_level::warn, event,
                  {{"id", id},
                   {"route", r.route.name},
                   {"attempt", std::to_string(attempt)},
                   {"delay_ms", std::to_string(delay.count())},
                   {"reason", reason}});
    } else {
        copy.exchange = names_.dead_letter_exchange();
        copy.headers.emplace_back(header::attempt, std::to_string(attempt));
        copy.headers.emplace_back(header::dead_reason, permanent ? "permanent failure: " + reason
                                                                 : "retries exhausted: " + reason);
        event = "delivery.dead_lettered";
        core::log(core::log_level::error, event,
                  {{"id", id},
                   {"route", r.route.name},
                   {"attempt", std::to_string(attempt)},
                   {"reason", reason}});
    }
    std::vector<broker::outgoing_message> batch;
    batch.push_back(std::move(copy));
    publisher_.publish(std::move(batch), [this, settle, retry, id, route = r.route.name,
                                          reason](core::result<void> published) {
        if (!published) {
            // The copy may not exist: keep the original, the broker will hand it out again.
            core::log(core::log_level::warn, "delivery.forward_failed",
                      {{"id", id}, {"route", route}, {"detail", published.error().log_detail}});
            return settle(false);
        }
        if (!retry) {
            (void)store_.add_event({id, core::event::dead_lettered, route, reason, 0});
        }
        settle(true);
    });
}

}  // namespace lienthong::bus::delivery
