#include "pipeline/journey.hpp"

#include <algorithm>
#include <map>

#include "core/message_contract.hpp"
#include "routing/router.hpp"

namespace lienthong::bus::pipeline {

namespace {

enum class route_state { queued, delivered, dead };

// The latest publish attempt ended unconfirmed: an `unconfirmed` event after the last `received`
// (each attempt starts with one).
bool last_attempt_unconfirmed(const std::vector<store::journey_event>& events) {
    bool unconfirmed = false;
    for (const auto& e : events) {
        if (e.kind == core::event::unconfirmed) {
            unconfirmed = true;
        } else if (e.kind == core::event::received) {
            unconfirmed = false;
        }
    }
    return unconfirmed;
}

}  // namespace

journey_summary summarize(const store::document_record& doc,
                          const std::vector<store::journey_event>& events) {
    std::vector<std::string> routes;  // queued routes, in order
    std::map<std::string, route_state> state_of;
    std::map<std::string, std::string> latest_status;  // agency -> code
    bool cancelled = false;
    for (const auto& e : events) {
        if (e.kind == core::event::queued) {
            if (std::find(routes.begin(), routes.end(), e.route) == routes.end()) {
                routes.push_back(e.route);
            }
            state_of.try_emplace(e.route, route_state::queued);
        } else if (e.kind == core::event::delivered) {
            state_of[e.route] = route_state::delivered;
        } else if (e.kind == core::event::dead_lettered &&
                   state_of[e.route] != route_state::delivered) {
            state_of[e.route] = route_state::dead;
        } else if (e.kind == core::event::replayed && state_of[e.route] == route_state::dead) {
            state_of[e.route] = route_state::queued;
        } else if (e.kind == core::event::status) {
            if (e.agency == doc.sender && e.code == "13") {
                cancelled = true;
            } else {
                latest_status[e.agency] = e.code;
            }
        }
    }

    journey_summary out;
    bool all_delivered = !doc.recipients.empty();
    bool any_dead = false;
    bool all_finished = !doc.recipients.empty();
    bool any_rejected = false;
    for (const auto& agency : doc.recipients) {
        recipient_progress p{agency, false, false, {}};
        std::vector<std::string> mine;
        for (const auto& r : routes) {
            if (routing::is_route_of(r, agency)) {
                mine.push_back(r);
            }
        }
        if (mine.empty() && state_of.count(routing::national_axis_route)) {
            mine.push_back(routing::national_axis_route);
        }
        p.delivered = !mine.empty() && std::all_of(mine.begin(), mine.end(), [&](const auto& r) {
            return state_of[r] == route_state::delivered;
        });
        p.dead_lettered = std::any_of(mine.begin(), mine.end(), [&](const auto& r) {
            return state_of[r] == route_state::dead;
        });
        if (auto s = latest_status.find(agency); s != latest_status.end()) {
            p.status_code = s->second;
        }
        all_delivered = all_delivered && p.delivered;
        any_dead = any_dead || p.dead_lettered;
        all_finished = all_finished && p.status_code == "06";
        any_rejected = any_rejected || p.status_code == "02";
        out.recipients.push_back(std::move(p));
    }

    if (!doc.accepted) {
        out.state = last_attempt_unconfirmed(events) ? "unconfirmed" : "received";
    } else if (cancelled) {
        out.state = "cancelled";
    } else if (all_finished) {
        out.state = "completed";
    } else if (any_rejected) {
        out.state = "rejected-by-recipient";
    } else if (any_dead) {
        out.state = "dead-lettered";
    } else if (!latest_status.empty()) {
        out.state = "in-progress";
    } else if (all_delivered) {
        out.state = "delivered";
    } else {
        out.state = "accepted";
    }
    return out;
}

}  // namespace lienthong::bus::pipeline
