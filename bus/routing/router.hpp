#pragma once
// Routing decisions: which delivery routes a document takes, and the broker topology they need.
// A route is one delivery subscription of one addressee (agency x adapter), or the single
// national-axis route for addressees outside the province. Each route has its own durable quorum
// queue, so a slow or failing recipient never holds up another.
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "broker/topology.hpp"
#include "core/result.hpp"
#include "routing/directory.hpp"
#include "xml/edxml_header.hpp"

namespace lienthong::bus::routing {

/// Route name of the national axis (out-of-province addressees).
inline constexpr const char* national_axis_route = "national-axis";

/// One delivery route of an accepted document.
struct route {
    /// The addressee's OrganId; for the national-axis route every external addressee (the axis
    /// receives the packet once).
    std::vector<std::string> recipients;
    std::string routing_key;  ///< the route name: key on the documents exchange
};

/// A route the bus can deliver on, with what its consumer needs.
struct delivery_route {
    std::string name;    ///< "<code>.<type>", "<code>.<type>.<n>" for a repeated type, or
                         ///< "national-axis"
    std::string agency;  ///< agency code, or "national-axis"
    std::string type;    ///< adapter type (registry key)
    adapters::settings settings;
    std::vector<std::chrono::milliseconds> retry_schedule;  ///< empty = the bus default
    std::string config_path;  ///< where it is configured, for start-up errors
};

/// Broker names, all derived from the documents exchange and a prefix.
struct naming {
    std::string exchange = "lienthong.documents";  ///< durable direct exchange
    std::string prefix = "lienthong";              ///< queue and helper-exchange prefix

    std::string route_queue(const std::string& route_name) const {
        return prefix + ".route." + route_name;
    }
    /// Fanout exchange and queue of a retry step; messages wait `delay` there, then dead-letter
    /// back to the documents exchange under their route key.
    std::string retry_queue(std::chrono::milliseconds delay) const {
        return prefix + ".retry." + std::to_string(delay.count()) + "ms";
    }
    std::string dead_letter_exchange() const { return prefix + ".dead"; }
    std::string dead_letter_queue() const { return prefix + ".dead-letter"; }
};

/// The route name of an agency's subscription.
std::string route_name(const std::string& agency_code, const std::string& type, int nth_of_type);

/// Whether `route_name` (as built by route_name()) is one of `agency_code`'s subscriptions. The
/// national-axis route belongs to no agency.
bool is_route_of(std::string_view route_name, std::string_view agency_code);

/// Every route of the directory, in directory order. An agency without subscriptions gets one
/// implicit `inbox` route (it pulls its documents with GET /v1/inbox).
std::vector<delivery_route> delivery_routes(const directory& dir);

/// The topology for `routes`: one quorum queue per route (dead-lettering to the dead-letter
/// exchange past a redelivery limit), one TTL queue per distinct retry delay, the dead-letter
/// exchange and queue.
broker::topology make_topology(const naming& names, const std::vector<delivery_route>& routes,
                               const std::vector<std::chrono::milliseconds>& default_schedule);

/// Routes for every To/OrganId (duplicates collapsed, document order kept): each addressee in
/// the directory gets one route per subscription; others go to the national-axis route when the
/// directory configures one.
/// Errors: unknown_recipient naming the first addressee that cannot be routed.
core::result<std::vector<route>> plan_routes(const xml::edoc_header& header, const directory& dir);

}  // namespace lienthong::bus::routing
