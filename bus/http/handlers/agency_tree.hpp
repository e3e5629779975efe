#pragma once
// The agency tree of the operators' console: each agency's state from its routes' queues and
// its recent history, rolled up to its parents (a district is as bad as its worst commune), and
// the paged, searchable, problems-first listing of it.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "routing/directory.hpp"
#include "store/series.hpp"

namespace lienthong::bus::http::handlers {

/// Ordered by severity: a listing puts the worst first.
enum class agency_state { ok, backlog, no_consumer, dead_letters, failing };

/// "ok", "backlog", "no_consumer", "dead_letters", "failing" (the API's and the UI's keys).
std::string_view state_name(agency_state s) noexcept;
/// "province", "department", "district", "commune".
std::string_view level_name(routing::agency_level l) noexcept;

/// What is known of one agency (or, rolled up, of its subtree).
struct agency_figures {
    std::int64_t ready = 0;          ///< messages waiting in its route queues
    std::int64_t routes = 0;         ///< its route queues
    std::int64_t idle_routes = 0;    ///< of which with no consumer
    std::int64_t failed = 0;         ///< failed delivery attempts in the failing window
    std::int64_t delivered = 0;      ///< deliveries in the failing window
    std::int64_t dead_lettered = 0;  ///< dead letters in the dead-letter window
    std::int64_t accepted = 0;       ///< documents it sent, in the dead-letter window
};

/// The rules: failing when failed attempts outnumber deliveries in the window; dead_letters
/// when any document to it was dead-lettered; no_consumer when a route queue has no consumer;
/// backlog when at least `backlog_threshold` messages wait; else ok (the worst that applies).
agency_state state_of(const agency_figures& f, std::int64_t backlog_threshold) noexcept;

struct agency_node {
    const routing::agency* agency = nullptr;
    agency_figures own;
    agency_figures subtree;  ///< own plus every descendant's
    agency_state state = agency_state::ok;
    agency_state rollup = agency_state::ok;  ///< the worst state in its subtree
    std::int64_t children = 0;
};

/// Every agency of `agencies` with its figures (`own`, keyed by code; missing = zero) and
/// state, rolled up along `parent` (a parent missing from the directory ends the chain).
std::map<std::string, agency_node> build_tree(const std::vector<routing::agency>& agencies,
                                              const std::map<std::string, agency_figures>& own,
                                              std::int64_t backlog_threshold);

/// Which agencies a listing shows: `codes` (comma-separated, exact) when given, else those
/// matching `query` (code or name, diacritics ignored) at any level, else the children of
/// `parent` ("" = the roots: agencies with no parent in the directory).
struct agency_filter {
    std::string codes;
    std::string query;
    std::string parent;
    std::size_t offset = 0;
    std::size_t limit = 50;
};

struct agency_listing {
    std::size_t total = 0;
    std::vector<const agency_node*> page;  ///< worst rollup first, then by level, then by code
};

agency_listing list_agencies(const std::map<std::string, agency_node>& tree,
                             const agency_filter& filter);

}  // namespace lienthong::bus::http::handlers
