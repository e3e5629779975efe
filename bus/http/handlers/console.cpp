#include "http/handlers/console.hpp"

#include <boost/json.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>

#include "core/vietnamese.hpp"
#include "http/handlers/agency_tree.hpp"
#include "http/handlers/query_string.hpp"
#include "http/problem.hpp"

namespace lienthong::bus::http::handlers {

namespace {

constexpr std::int64_t backlog_threshold = 10;           // messages waiting on one agency
constexpr std::int64_t failing_window_ms = 15 * 60'000;  // failed attempts vs deliveries
constexpr std::int64_t dead_window_ms = 60 * 60'000;     // dead letters
constexpr auto queue_sample_age = std::chrono::seconds(5);

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

void answer(responder& respond, const request& req, const boost::json::object& body) {
    respond(make_json(beast_http::status::ok, boost::json::serialize(body), req.version(),
                      req.keep_alive()));
}

void answer(responder& respond, const request& req, const core::failure& f) {
    respond(make_problem(f, req.version(), req.keep_alive()));
}

/// Queue depths and consumers per agency, sampled at most every queue_sample_age (a passive
/// declare per route queue: thousands at province scale).
class queue_sampler final {
  public:
    std::map<std::string, agency_figures> sample(const operations& ops) {
        std::lock_guard lock(mutex_);
        const auto now = std::chrono::steady_clock::now();
        if (taken_ && now - last_ < queue_sample_age) {
            return figures_;
        }
        std::vector<std::string> queues;
        for (const auto& r : ops.routes) {
            queues.push_back(ops.names.route_queue(r.name));
        }
        auto stats = ops.admin.stats(queues);
        figures_.clear();
        for (std::size_t i = 0; stats && i < ops.routes.size() && i < stats->size(); ++i) {
            auto& f = figures_[ops.routes[i].agency];
            f.ready += static_cast<std::int64_t>((*stats)[i].messages);
            f.routes += 1;
            f.idle_routes += (*stats)[i].consumers == 0 ? 1 : 0;
        }
        taken_ = stats.has_value();
        last_ = now;
        return figures_;
    }

  private:
    std::mutex mutex_;
    bool taken_ = false;
    std::chrono::steady_clock::time_point last_;
    std::map<std::string, agency_figures> figures_;
};

core::result<std::map<std::string, agency_figures>> figures_of(const operations& ops,
                                                               queue_sampler& sampler) {
    auto figures = sampler.sample(ops);
    const auto now = now_ms();
    auto recent = ops.store.series_by_agency(now - failing_window_ms, now + 1);
    auto hour = ops.store.series_by_agency(now - dead_window_ms, now + 1);
    if (!recent || !hour) {
        return recent ? hour.error() : recent.error();
    }
    for (const auto& c : *recent) {
        if (c.metric == store::series_metric::failed_attempt) {
            figures[c.agency].failed += c.count;
        } else if (c.metric == store::series_metric::delivered) {
            figures[c.agency].delivered += c.count;
        }
    }
    for (const auto& c : *hour) {
        if (c.metric == store::series_metric::dead_lettered) {
            figures[c.agency].dead_lettered += c.count;
        } else if (c.metric == store::series_metric::accepted) {
            figures[c.agency].accepted += c.count;
        }
    }
    return figures;
}

boost::json::object node_json(const agency_node& n) {
    const auto& f = n.subtree;
    return {{"code", n.agency->code},
            {"name", n.agency->name},
            {"level", level_name(n.agency->level)},
            {"parent", n.agency->parent},
            {"state", state_name(n.state)},
            {"rollup", state_name(n.rollup)},
            {"children", n.children},
            {"ready", f.ready},
            {"routes", f.routes},
            {"idle_routes", f.idle_routes},
            {"failed", f.failed},
            {"delivered", f.delivered},
            {"dead_lettered", f.dead_lettered},
            {"accepted", f.accepted}};
}

}  // namespace

endpoint admin_agencies(const operations& ops, const routing::directory& directory) {
    auto sampler = std::make_shared<queue_sampler>();
    return endpoint{beast_http::verb::get, "/v1/admin/agencies", role::admin, "",
                    [&ops, &directory, sampler](request&& req, const caller&, responder respond) {
                        const auto target = req.target();
                        if (auto numbers = check_numbers(target, {"offset", "limit"}); !numbers) {
                            return answer(respond, req, numbers.error());
                        }
                        auto figures = figures_of(ops, *sampler);
                        if (!figures) {
                            return answer(respond, req, figures.error());
                        }
                        const auto& agencies = directory.agencies();  // this generation stays alive
                        const auto tree = build_tree(agencies, *figures, backlog_threshold);
                        const agency_filter filter{
                            query_param(target, "codes"), query_param(target, "q"),
                            query_param(target, "parent"),
                            static_cast<std::size_t>(integer_param(target, "offset", 0)),
                            count_param(target, "limit", 50, 200)};
                        const auto listing = list_agencies(tree, filter);
                        boost::json::array list;
                        for (const auto* n : listing.page) {
                            list.push_back(node_json(*n));
                        }
                        answer(respond, req,
                               {{"total", listing.total},
                                {"offset", filter.offset},
                                {"limit", filter.limit},
                                {"agencies", std::move(list)}});
                    }};
}

}  // namespace lienthong::bus::http::handlers
