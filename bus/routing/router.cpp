#include "routing/router.hpp"

#include <algorithm>
#include <set>

namespace lienthong::bus::routing {

namespace {

/// A redelivery limit only stops poison messages (e.g. one that crashes the bus every time);
/// ordinary failures go through the retry steps and never count against it.
constexpr int route_delivery_limit = 50;

std::vector<std::chrono::milliseconds> schedule_of(const subscription& s) {
    std::vector<std::chrono::milliseconds> out;
    for (auto ms : s.retry_schedule_ms) {
        out.emplace_back(ms);
    }
    return out;
}

}  // namespace

std::string route_name(const std::string& agency_code, const std::string& type, int nth_of_type) {
    std::string name = agency_code + "." + type;
    if (nth_of_type > 0) {
        name += "." + std::to_string(nth_of_type + 1);
    }
    return name;
}

bool is_route_of(std::string_view route_name, std::string_view agency_code) {
    return route_name.size() > agency_code.size() + 1 && route_name.starts_with(agency_code) &&
           route_name[agency_code.size()] == '.';
}

std::vector<delivery_route> delivery_routes(const directory& dir) {
    std::vector<delivery_route> out;
    for (std::size_t i = 0; i < dir.agencies().size(); ++i) {
        const auto& a = dir.agencies()[i];
        const std::string path = "agencies[" + std::to_string(i) + "]";
        if (a.subscriptions.empty()) {
            out.push_back({route_name(a.code, "inbox", 0), a.code, "inbox", {}, {}, path});
            continue;
        }
        std::map<std::string, int> seen;
        for (std::size_t j = 0; j < a.subscriptions.size(); ++j) {
            const auto& s = a.subscriptions[j];
            out.push_back({route_name(a.code, s.type, seen[s.type]++), a.code, s.type, s.settings,
                           schedule_of(s), path + ".subscriptions[" + std::to_string(j) + "]"});
        }
    }
    if (const auto& axis = dir.national_axis()) {
        out.push_back({national_axis_route, national_axis_route, axis->type, axis->settings,
                       schedule_of(*axis), "national_axis"});
    }
    return out;
}

broker::topology make_topology(const naming& names, const std::vector<delivery_route>& routes,
                               const std::vector<std::chrono::milliseconds>& default_schedule) {
    broker::topology t{names.exchange, {}, {}};
    t.exchanges.push_back({names.dead_letter_exchange(), "fanout"});
    t.queues.push_back({names.dead_letter_queue(), "", names.dead_letter_exchange()});
    std::set<std::chrono::milliseconds> delays(default_schedule.begin(), default_schedule.end());
    for (const auto& r : routes) {
        broker::queue_binding q{names.route_queue(r.name), r.name};
        q.dead_letter_exchange = names.dead_letter_exchange();
        q.delivery_limit = route_delivery_limit;
        t.queues.push_back(std::move(q));
        delays.insert(r.retry_schedule.begin(), r.retry_schedule.end());
    }
    for (auto d : delays) {
        const auto name = names.retry_queue(d);
        t.exchanges.push_back({name, "fanout"});
        broker::queue_binding q{name, "", name};
        q.message_ttl_ms = d.count();
        q.dead_letter_exchange = names.exchange;  // keeps the route key: back to the route queue
        t.queues.push_back(std::move(q));
    }
    return t;
}

core::result<std::vector<route>> plan_routes(const xml::edoc_header& header, const directory& dir) {
    const auto all = delivery_routes(dir);
    std::vector<route> routes;
    std::vector<std::string> seen;
    std::vector<std::string> external;  // addressees outside the directory
    for (const auto& to : header.to) {
        const auto& code = to.organ_id;
        if (std::find(seen.begin(), seen.end(), code) != seen.end()) {
            continue;
        }
        seen.push_back(code);
        if (dir.find(code)) {
            for (const auto& r : all) {
                if (r.agency == code) {
                    routes.push_back({{code}, r.name});
                }
            }
            continue;
        }
        if (!dir.national_axis() || !xml::is_valid_organ_id(code)) {
            return core::fail(
                core::errc::unknown_recipient,
                "addressee '" + code + "' is not an agency served by this bus; check To/OrganId",
                "To/OrganId");
        }
        external.push_back(code);
    }
    if (!external.empty()) {
        routes.push_back({std::move(external), national_axis_route});
    }
    return routes;
}

}  // namespace lienthong::bus::routing
