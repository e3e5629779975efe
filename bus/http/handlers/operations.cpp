#include "http/handlers/operations.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <ctime>

#include "core/log.hpp"
#include "core/message_contract.hpp"
#include "core/metric_families.hpp"
#include "http/handlers/signature_report.hpp"
#include "http/problem.hpp"

namespace lienthong::bus::http::handlers {

namespace {

constexpr const char* replay_prefix = "/v1/admin/dead-letters/";

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/// The percent-decoded value of query parameter `name`, "" when absent.
std::string query_param(std::string_view target, std::string_view name) {
    const auto q = target.find('?');
    if (q == std::string_view::npos) {
        return {};
    }
    auto rest = target.substr(q + 1);
    while (!rest.empty()) {
        const auto amp = rest.find('&');
        const auto pair = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
        const auto eq = pair.find('=');
        if (pair.substr(0, eq) != name || eq == std::string_view::npos) {
            continue;
        }
        std::string out;
        const auto v = pair.substr(eq + 1);
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (v[i] == '%' && i + 2 < v.size() && hex_value(v[i + 1]) >= 0 &&
                hex_value(v[i + 2]) >= 0) {
                out += static_cast<char>(hex_value(v[i + 1]) * 16 + hex_value(v[i + 2]));
                i += 2;
            } else {
                out += v[i] == '+' ? ' ' : v[i];
            }
        }
        return out;
    }
    return {};
}

/// ?limit=N clamped to 1..max, `fallback` when absent or not a number.
std::size_t limit_of(const request& req, std::size_t fallback, std::size_t max) {
    const auto v = query_param(req.target(), "limit");
    std::size_t n = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (v.empty() || ec != std::errc{} || end != v.data() + v.size() || n == 0) {
        return fallback;
    }
    return std::min(n, max);
}

boost::json::object dead_letter_json(const broker::dead_letter& d) {
    return {{"id", d.id},
            {"route", d.route},
            {"document_id", d.document_id},
            {"sender", d.sender},
            {"recipient", d.recipient},
            {"attempts", d.attempts},
            {"reason", d.reason},
            {"first_failure", d.first_failure},
            {"bytes", d.bytes}};
}

void answer(responder& respond, const request& req, const boost::json::object& body) {
    respond(make_json(beast_http::status::ok, boost::json::serialize(body), req.version(),
                      req.keep_alive()));
}

void answer(responder& respond, const request& req, const core::failure& f) {
    respond(make_problem(f, req.version(), req.keep_alive()));
}

}  // namespace

operations::served operations::current() const {
    std::lock_guard lock(routes_mutex);
    return {routes, retired_queues};
}

void operations::set_routes(std::vector<routing::delivery_route> fresh,
                            const std::vector<std::string>& removed) {
    std::lock_guard lock(routes_mutex);
    routes = std::move(fresh);
    for (const auto& name : removed) {
        retired_queues.push_back(names.route_queue(name));
    }
    std::vector<std::string> kept;
    for (const auto& q : retired_queues) {
        const bool served_again = std::any_of(routes.begin(), routes.end(), [&](const auto& r) {
            return names.route_queue(r.name) == q;
        });
        if (!served_again && std::find(kept.begin(), kept.end(), q) == kept.end()) {
            kept.push_back(q);
        }
    }
    retired_queues = std::move(kept);
}

void operations::sample(core::metrics& m) const {
    m.set(core::metric::broker_connected.name, {}, broker_connected() ? 1 : 0);
    m.set(core::metric::store_up.name, {}, store.ping() ? 1 : 0);
    const auto now = current();
    std::vector<std::string> queues;
    for (const auto& r : now.routes) {
        queues.push_back(names.route_queue(r.name));
    }
    queues.push_back(names.dead_letter_queue());
    queues.insert(queues.end(), now.retired_queues.begin(), now.retired_queues.end());
    auto stats = admin.stats(queues);
    if (!stats) {
        return;  // broker down: the gauges keep their last values, broker_connected says why
    }
    const auto first_retired = now.routes.size() + 1;
    for (std::size_t i = 0; i < stats->size(); ++i) {
        const auto& s = (*stats)[i];
        m.set(core::metric::queue_messages.name, {{"queue", s.queue}}, s.messages);
        m.set(core::metric::queue_consumers.name, {{"queue", s.queue}}, s.consumers);
        if (i >= first_retired) {
            m.set(core::metric::retired_queue_messages.name, {{"queue", s.queue}}, s.messages);
        }
    }
}

endpoint metrics_text(core::metrics& metrics) {
    return endpoint{beast_http::verb::get, "/metrics", role::admin, "",
                    [&metrics](request&& req, const caller&, responder respond) {
                        auto res = make_json(beast_http::status::ok, metrics.render(),
                                             req.version(), req.keep_alive());
                        res.set(beast_http::field::content_type,
                                "text/plain; version=0.0.4; charset=utf-8");
                        respond(std::move(res));
                    }};
}

endpoint admin_queues(const operations& ops) {
    return endpoint{
        beast_http::verb::get, "/v1/admin/queues", role::admin, "",
        [&ops](request&& req, const caller&, responder respond) {
            const auto now = ops.current();
            std::vector<std::string> queues;
            for (const auto& r : now.routes) {
                queues.push_back(ops.names.route_queue(r.name));
            }
            queues.push_back(ops.names.dead_letter_queue());
            queues.insert(queues.end(), now.retired_queues.begin(), now.retired_queues.end());
            auto stats = ops.admin.stats(queues);
            if (!stats) {
                return answer(respond, req, stats.error());
            }
            boost::json::array list;
            for (std::size_t i = 0; i < now.routes.size(); ++i) {
                const auto& r = now.routes[i];
                const core::metric_labels published{{"route", r.name}};
                const core::metric_labels delivered{{"route", r.name}, {"outcome", "delivered"}};
                list.push_back(
                    {{"route", r.name},
                     {"agency", r.agency},
                     {"type", r.type},
                     {"queue", (*stats)[i].queue},
                     {"messages", (*stats)[i].messages},
                     {"consumers", (*stats)[i].consumers},
                     {"publish_rate",
                      ops.metrics.rate(core::metric::route_published.name, published)},
                     {"deliver_rate", ops.metrics.rate(core::metric::deliveries.name, delivered)},
                     {"published_total",
                      ops.metrics.value(core::metric::route_published.name, published)},
                     {"delivered_total",
                      ops.metrics.value(core::metric::deliveries.name, delivered)}});
            }
            const auto& dead = (*stats)[now.routes.size()];
            boost::json::array retired;
            for (std::size_t i = now.routes.size() + 1; i < stats->size(); ++i) {
                retired.push_back(
                    {{"queue", (*stats)[i].queue}, {"messages", (*stats)[i].messages}});
            }
            answer(respond, req,
                   {{"broker_connected", ops.broker_connected()},
                    {"routes", std::move(list)},
                    {"dead_letter", {{"queue", dead.queue}, {"messages", dead.messages}}},
                    {"retired", std::move(retired)}});
        }};
}

endpoint admin_dead_letters(const operations& ops) {
    return endpoint{beast_http::verb::get, "/v1/admin/dead-letters", role::admin, "",
                    [&ops](request&& req, const caller&, responder respond) {
                        auto letters = ops.admin.dead_letters(limit_of(req, 100, 1000));
                        if (!letters) {
                            return answer(respond, req, letters.error());
                        }
                        boost::json::array list;
                        for (const auto& d : *letters) {
                            list.push_back(dead_letter_json(d));
                        }
                        answer(respond, req, {{"dead_letters", std::move(list)}});
                    }};
}

endpoint admin_replay(const operations& ops) {
    return endpoint{
        beast_http::verb::post, replay_prefix, role::admin, "",
        [&ops](request&& req, const caller& who, responder respond) {
            auto path = std::string_view(req.target());
            path = path.substr(0, path.find('?')).substr(std::string_view(replay_prefix).size());
            broker::replay_filter filter{{}, query_param(req.target(), "route")};
            const std::string_view suffix = "/replay";
            if (path == "replay") {
                if (filter.route.empty()) {
                    return answer(respond, req,
                                  core::fail(core::errc::invalid_request,
                                             "bulk replay needs ?route=ROUTE", "route"));
                }
            } else if (path.size() > suffix.size() &&
                       path.substr(path.size() - suffix.size()) == suffix &&
                       path.substr(0, path.size() - suffix.size()).find('/') ==
                           std::string_view::npos) {
                filter.id = std::string(path.substr(0, path.size() - suffix.size()));
            } else {
                return answer(respond, req,
                              core::fail(core::errc::not_found,
                                         "no endpoint at " + std::string(req.target())));
            }
            auto replayed = ops.admin.replay(filter, limit_of(req, 10'000, 10'000));
            if (!replayed) {
                return answer(respond, req, replayed.error());
            }
            if (replayed->empty() && !filter.id.empty()) {
                return answer(respond, req,
                              core::fail(core::errc::not_found,
                                         "no dead letter for document '" + filter.id + "'", "id"));
            }
            boost::json::array list;
            for (const auto& d : *replayed) {
                (void)ops.store.add_event(
                    {d.id, core::event::replayed, d.route, "by " + who.admin, 0, "", ""});
                ops.metrics.add(core::metric::replays.name, {{"route", d.route}});
                core::log(core::log_level::info, "admin.replayed",
                          {{"id", d.id}, {"route", d.route}, {"admin", who.admin}});
                list.push_back({{"id", d.id}, {"route", d.route}});
            }
            answer(respond, req, {{"replayed", replayed->size()}, {"messages", std::move(list)}});
        }};
}

endpoint admin_failures(const operations& ops) {
    return endpoint{
        beast_http::verb::get, "/v1/admin/failures", role::admin, "",
        [&ops](request&& req, const caller&, responder respond) {
            auto events = ops.store.recent_events(
                {core::event::rejected, core::event::attempt, core::event::dead_lettered},
                limit_of(req, 50, 500));
            if (!events) {
                return answer(respond, req, events.error());
            }
            boost::json::array list;
            for (const auto& e : *events) {
                list.push_back({{"time_ms", e.time_ms},
                                {"kind", e.kind},
                                {"id", e.id},
                                {"route", e.route},
                                {"agency", e.agency},
                                {"code", e.code},
                                {"detail", e.detail}});
            }
            answer(respond, req, {{"failures", std::move(list)}});
        }};
}

endpoint admin_signature_report(const operations& ops) {
    return endpoint{beast_http::verb::get, "/v1/admin/reports/signatures", role::admin, "",
                    [&ops](request&& req, const caller&, responder respond) {
                        const auto window = parse_report_window(query_param(req.target(), "from"),
                                                                query_param(req.target(), "to"),
                                                                std::time(nullptr));
                        if (!window) {
                            return answer(respond, req, window.error());
                        }
                        const auto counts =
                            ops.store.signature_report(window->from_ms, window->to_ms);
                        if (!counts) {
                            return answer(respond, req, counts.error());
                        }
                        if (query_param(req.target(), "format") != "csv") {
                            return answer(respond, req, signature_report_json(*counts, *window));
                        }
                        response res{beast_http::status::ok, req.version()};
                        res.set(beast_http::field::content_type, "text/csv; charset=utf-8");
                        res.keep_alive(req.keep_alive());
                        res.body() = signature_report_csv(*counts);
                        res.prepare_payload();
                        respond(std::move(res));
                    }};
}

}  // namespace lienthong::bus::http::handlers
