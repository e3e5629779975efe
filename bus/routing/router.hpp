#pragma once
#include <string>
#include <vector>

#include "broker/topology.hpp"
#include "core/result.hpp"
#include "routing/directory.hpp"
#include "xml/edxml_header.hpp"

namespace lienthong::bus::routing {

/// One delivery route of an accepted document: one per addressee.
struct route {
    std::string recipient;    ///< OrganId
    std::string routing_key;  ///< key on the documents exchange
};

/// Queue name and routing key of an agency's route.
std::string route_queue(const std::string& agency_code);
std::string route_key(const std::string& agency_code);

/// The topology the bus declares for a directory: one durable queue per agency.
broker::topology make_topology(const std::string& exchange, const directory& dir);

/// Routes for every To/OrganId (duplicates collapsed, document order kept).
/// Errors: unknown_recipient naming the first addressee that is not in the directory.
core::result<std::vector<route>> plan_routes(const xml::edoc_header& header, const directory& dir);

}  // namespace lienthong::bus::routing
