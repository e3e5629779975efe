// The history series and the document search of the console (declared in console.hpp).
#include <boost/json.hpp>
#include <chrono>

#include "core/vietnamese.hpp"
#include "http/handlers/console.hpp"
#include "http/handlers/query_string.hpp"
#include "http/problem.hpp"

namespace lienthong::bus::http::handlers {

namespace {

constexpr std::int64_t hour_ms = 60 * store::minute_ms;

struct window {
    std::int64_t from_ms = 0;
    std::int64_t step_ms = 0;
    std::int64_t buckets = 0;
};

/// The last hour per minute, or the last week per hour, ending with the current step.
std::optional<window> window_of(const std::string& range, std::int64_t now) {
    if (range == "hour" || range.empty()) {
        const auto end = now - now % store::minute_ms + store::minute_ms;
        return window{end - 60 * store::minute_ms, store::minute_ms, 60};
    }
    if (range == "week") {
        const auto end = now - now % hour_ms + hour_ms;
        return window{end - 168 * hour_ms, hour_ms, 168};
    }
    return std::nullopt;
}

boost::json::object series_json(const std::vector<store::series_count>& counts, const window& w) {
    std::map<std::string, std::vector<std::int64_t>> series;
    for (const char* m :
         {store::series_metric::accepted, store::series_metric::delivered,
          store::series_metric::dead_lettered, store::series_metric::failed_attempt}) {
        series[m].assign(static_cast<std::size_t>(w.buckets), 0);
    }
    std::vector<std::int64_t> latency(store::latency_bounds_ms.size() + 1, 0);
    const std::string_view latency_prefix = store::series_metric::latency_prefix;
    for (const auto& c : counts) {
        if (c.step < 0 || c.step >= w.buckets) {
            continue;
        }
        if (c.metric.rfind(latency_prefix, 0) == 0) {
            const auto b =
                static_cast<std::size_t>(std::stoi(c.metric.substr(latency_prefix.size())));
            latency[std::min(b, latency.size() - 1)] += c.count;
            continue;
        }
        auto& values = series[c.metric];
        values.resize(static_cast<std::size_t>(w.buckets), 0);
        values[static_cast<std::size_t>(c.step)] += c.count;
    }
    boost::json::object out;
    for (auto& [metric, values] : series) {
        out[metric] = boost::json::value_from(values);
    }
    std::int64_t samples = 0;
    for (const auto n : latency) {
        samples += n;
    }
    return {{"series", std::move(out)},
            {"latency_ms",
             {{"samples", samples},
              {"p50", store::latency_percentile(latency, 50)},
              {"p90", store::latency_percentile(latency, 90)},
              {"p99", store::latency_percentile(latency, 99)}}}};
}

/// The words of a subject search, folded like the index.
std::vector<std::string> words_of(const std::string& text) {
    std::vector<std::string> out;
    const auto folded = core::fold_vietnamese(text);
    std::size_t start = 0;
    while (start < folded.size()) {
        const auto space = std::min(folded.find(' ', start), folded.size());
        if (space > start) {
            out.push_back(folded.substr(start, space - start));
        }
        start = space + 1;
    }
    return out;
}

boost::json::object document_json(const store::document_record& d) {
    return {{"id", d.id},
            {"document_id", d.document_id},
            {"business_doc_type", d.business_doc_type},
            {"subject", d.subject},
            {"sender", d.sender},
            {"recipients", boost::json::value_from(d.recipients)},
            {"accepted", d.accepted},
            {"created_ms", d.created_ms}};
}

}  // namespace

endpoint admin_series(const operations& ops, const routing::directory& directory) {
    return endpoint{
        beast_http::verb::get, "/v1/admin/series", role::admin, "",
        [&ops, &directory](request&& req, const caller&, responder respond) {
            const auto range = query_param(req.target(), "range");
            const auto agency = query_param(req.target(), "agency");
            const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
            const auto w = window_of(range, now);
            auto fail = [&](core::failure f) {
                respond(make_problem(f, req.version(), req.keep_alive()));
            };
            if (!w) {
                return fail(core::fail(core::errc::invalid_request,
                                       "range must be 'hour' or 'week'", "range"));
            }
            if (!agency.empty() && directory.find(agency) == nullptr && agency != "national-axis") {
                return fail(core::fail(core::errc::not_found,
                                       "no agency '" + agency + "' in the directory", "agency"));
            }
            auto counts = ops.store.series(
                {w->from_ms, w->from_ms + w->step_ms * w->buckets, w->step_ms, agency});
            if (!counts) {
                return fail(counts.error());
            }
            auto body = series_json(*counts, *w);
            body["range"] = range.empty() ? "hour" : range;
            body["agency"] = agency;
            body["from_ms"] = w->from_ms;
            body["step_ms"] = w->step_ms;
            body["buckets"] = w->buckets;
            respond(make_json(beast_http::status::ok, boost::json::serialize(body), req.version(),
                              req.keep_alive()));
        }};
}

endpoint admin_document_search(const operations& ops) {
    return endpoint{
        beast_http::verb::get, "/v1/admin/documents", role::admin, "",
        [&ops](request&& req, const caller&, responder respond) {
            const auto t = req.target();
            auto refuse = [&](const core::failure& f) {
                respond(make_problem(f, req.version(), req.keep_alive()));
            };
            if (auto numbers = check_numbers(t, {"from_ms", "to_ms", "offset", "limit"});
                !numbers) {
                return refuse(numbers.error());
            }
            store::document_query q{query_param(t, "document_id"),
                                    query_param(t, "sender"),
                                    query_param(t, "addressee"),
                                    words_of(query_param(t, "subject")),
                                    integer_param(t, "from_ms", 0),
                                    integer_param(t, "to_ms", 0),
                                    static_cast<std::size_t>(integer_param(t, "offset", 0)),
                                    count_param(t, "limit", 50, 200)};
            if (q.from_ms > 0 && q.to_ms > 0 && q.to_ms < q.from_ms) {
                return refuse(core::fail(core::errc::invalid_request,
                                         "to_ms must not be before from_ms", "to_ms"));
            }
            auto page = ops.store.search_documents(q);
            if (!page) {
                return refuse(page.error());
            }
            boost::json::array list;
            for (const auto& d : page->documents) {
                list.push_back(document_json(d));
            }
            boost::json::object body{{"total", page->total},
                                     {"offset", q.offset},
                                     {"limit", q.limit},
                                     {"documents", std::move(list)}};
            respond(make_json(beast_http::status::ok, boost::json::serialize(body), req.version(),
                              req.keep_alive()));
        }};
}

}  // namespace lienthong::bus::http::handlers
