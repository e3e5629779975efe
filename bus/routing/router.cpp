#include "routing/router.hpp"

#include <algorithm>

namespace lienthong::bus::routing {

std::string route_queue(const std::string& agency_code) {
    return "lienthong.agency." + agency_code;
}

std::string route_key(const std::string& agency_code) { return agency_code; }

broker::topology make_topology(const std::string& exchange, const directory& dir) {
    broker::topology t{exchange, {}};
    for (const auto& a : dir.agencies()) {
        t.queues.push_back({route_queue(a.code), route_key(a.code)});
    }
    return t;
}

core::result<std::vector<route>> plan_routes(const xml::edoc_header& header,
                                             const directory& dir) {
    std::vector<route> routes;
    for (const auto& to : header.to) {
        if (!dir.find(to.organ_id)) {
            return core::fail(core::errc::unknown_recipient,
                              "addressee '" + to.organ_id +
                                  "' is not an agency served by this bus; check To/OrganId",
                              "To/OrganId");
        }
        const bool dup = std::any_of(routes.begin(), routes.end(),
                                     [&](const route& r) { return r.recipient == to.organ_id; });
        if (!dup) {
            routes.push_back({to.organ_id, route_key(to.organ_id)});
        }
    }
    return routes;
}

}  // namespace lienthong::bus::routing
