#include "pipeline/status_intake.hpp"

#include <algorithm>
#include <chrono>

#include "core/log.hpp"
#include "core/message_contract.hpp"
#include "core/metric_families.hpp"
#include "pipeline/intake_steps.hpp"
#include "routing/router.hpp"
#include "xml/status_header.hpp"

namespace lienthong::bus::pipeline {

namespace {

constexpr const char* cancellation = "13";

/// Route names that reach `agency`: its subscriptions, or the national axis for an agency
/// outside the province (an original that came in from the axis).
std::vector<std::string> routes_to(const std::string& agency, const routing::directory& dir) {
    std::vector<std::string> out;
    if (dir.find(agency)) {
        for (const auto& r : routing::delivery_routes(dir)) {
            if (r.agency == agency) {
                out.push_back(r.name);
            }
        }
    } else if (dir.national_axis()) {
        out.push_back(routing::national_axis_route);
    }
    return out;
}

/// Every addressee of `original`, one OrganId each (documents accepted before the contract
/// carried a list stored the national axis's addressees as one comma-joined entry).
std::vector<std::string> addressees(const store::document_record& original) {
    std::vector<std::string> out;
    for (const auto& entry : original.recipients) {
        for (auto& code : core::split_recipients(entry)) {
            out.push_back(std::move(code));
        }
    }
    return out;
}

bool addresses(const store::document_record& original, const std::string& agency) {
    const auto all = addressees(original);
    return std::find(all.begin(), all.end(), agency) != all.end();
}

/// One message per route, with the informed agencies that route reaches (all external ones share
/// the national-axis route).
struct route_plan {
    std::string route;
    std::vector<std::string> recipients;
};

/// The routes that reach every agency in `informed`. Errors: unknown_recipient.
core::result<std::vector<route_plan>> plan_status_routes(const std::vector<std::string>& informed,
                                                         const routing::directory& directory) {
    std::vector<route_plan> plans;
    for (const auto& agency : informed) {
        const auto routes = routes_to(agency, directory);
        if (routes.empty()) {
            return core::fail(core::errc::unknown_recipient,
                              "'" + agency + "' cannot be reached by this bus",
                              "ResponseFor/OrganId");
        }
        for (const auto& route : routes) {
            auto plan = std::find_if(plans.begin(), plans.end(),
                                     [&](const route_plan& p) { return p.route == route; });
            if (plan == plans.end()) {
                plan = plans.insert(plans.end(), route_plan{route, {}});
            }
            plan->recipients.push_back(agency);
        }
    }
    return plans;
}

core::failure not_allowed(const xml::status_header& header, const store::document_record& original,
                          const std::string& reporter) {
    return core::fail(
        core::errc::forbidden,
        header.status_code == cancellation
            ? "only the sender of document '" + original.id + "' may cancel it"
            : "'" + reporter + "' is not an addressee of document '" + original.id + "'",
        "From/OrganId");
}

}  // namespace

status_intake::status_intake(xml::parse_limits limits, const xml::schema_validator& schema,
                             const routing::directory& directory, broker::publisher& publisher,
                             store::tracking_store& store, core::metrics& metrics)
    : limits_(limits),
      schema_(schema),
      directory_(directory),
      publisher_(publisher),
      store_(store),
      metrics_(metrics) {}

status_intake::completion status_intake::metered(completion on_done) const {
    return [this, started = std::chrono::steady_clock::now(),
            on_done = std::move(on_done)](core::result<status_accepted> r) {
        metrics_.add(core::metric::statuses.name,
                     {{"outcome", r ? "accepted" : "rejected"},
                      {"type", r ? r->status_code : std::string(core::type_slug(r.error().code))}});
        metrics_.observe(
            core::metric::ingest_duration.name, {{"outcome", r ? "status" : "status-rejected"}},
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
        on_done(std::move(r));
    };
}

core::result<xml::status_header> status_intake::read(const std::string& packet) const {
    auto doc = parse_and_validate(packet, limits_, schema_);
    if (!doc) {
        return std::move(doc).error();
    }
    return xml::read_status_header(doc->get());
}

core::result<store::document_record> status_intake::find_original(
    const xml::status_header& header) const {
    auto candidates = store_.find_by_document_id(header.response_for_document_id);
    if (!candidates) {
        return std::move(candidates).error();
    }
    // The original: the first accepted document with that DocumentId from ResponseFor/OrganId
    // (later ones are its revocations, updates and replacements).
    auto original = std::find_if(candidates->begin(), candidates->end(), [&](const auto& d) {
        return d.sender == header.response_for_organ_id;
    });
    if (original == candidates->end()) {
        return core::fail(core::errc::not_found,
                          "no accepted document has DocumentId '" +
                              header.response_for_document_id + "' from '" +
                              header.response_for_organ_id + "'",
                          "ResponseFor/DocumentId");
    }
    return std::move(*original);
}

void status_intake::submit(const std::string& reporter, std::shared_ptr<const std::string> packet,
                           completion on_done) const {
    completion done = metered(std::move(on_done));
    auto header = read(*packet);
    if (!header) {
        return done(std::move(header).error());
    }
    if (auto sender = check_sender(origin::agency(reporter), header->from.organ_id, directory_,
                                   "POST /v1/status");
        !sender) {
        return done(std::move(sender).error());
    }
    auto original = find_original(*header);
    if (!original) {
        return done(std::move(original).error());
    }
    // Recipients report on what they received; the sender may only take its document back (13).
    std::vector<std::string> informed;
    if (header->status_code == cancellation && reporter == original->sender) {
        informed = addressees(*original);
    } else if (header->status_code != cancellation && addresses(*original, reporter)) {
        informed = {original->sender};
    } else {
        return done(not_allowed(*header, *original, reporter));
    }
    publish(reporter, std::move(packet), *header, *original, informed, std::move(done));
}

void status_intake::submit_inbound(std::shared_ptr<const std::string> packet,
                                   completion on_done) const {
    completion done = metered(std::move(on_done));
    auto header = read(*packet);
    if (!header) {
        return done(std::move(header).error());
    }
    const std::string reporter = header->from.organ_id;
    if (auto sender =
            check_sender(origin::national_axis(), reporter, directory_, "POST /v1/status");
        !sender) {
        return done(std::move(sender).error());
    }
    auto original = find_original(*header);
    if (!original) {
        return done(std::move(original).error());
    }
    if (directory_.find(original->sender) == nullptr) {
        return done(core::fail(core::errc::not_found,
                               "document '" + original->id +
                                   "' was not sent by an agency of "
                                   "this province: the axis reports only on what this bus sent",
                               "ResponseFor/OrganId"));
    }
    if (header->status_code == cancellation || !addresses(*original, reporter)) {
        return done(not_allowed(*header, *original, reporter));
    }
    publish(reporter, std::move(packet), *header, *original, {original->sender}, std::move(done));
}

void status_intake::publish(const std::string& reporter, std::shared_ptr<const std::string> packet,
                            const xml::status_header& header,
                            const store::document_record& original,
                            const std::vector<std::string>& informed, completion done) const {
    status_accepted result{new_bus_id(), original.id, header.status_code, {}};
    auto plans = plan_status_routes(informed, directory_);
    if (!plans) {
        return done(std::move(plans).error());
    }
    result.recipients = informed;
    std::vector<broker::outgoing_message> messages;
    std::vector<std::string> route_names;
    for (auto& plan : *plans) {
        route_names.push_back(plan.route);
        messages.push_back({plan.route,
                            packet,
                            result.id,
                            core::encode_headers({result.id,
                                                  header.response_for_document_id,
                                                  reporter,
                                                  std::move(plan.recipients),
                                                  core::message_kind::status,
                                                  header.status_code,
                                                  original.id,
                                                  {}}),
                            {}});
    }
    publisher_.publish(
        std::move(messages),
        [this, result = std::move(result), route_names = std::move(route_names),
         description = header.description, reporter,
         done = std::move(done)](core::result<void> published) mutable {
            if (!published) {
                return done(std::move(published).error());
            }
            (void)store_.add_event({result.document, core::event::status, "",
                                    core::status_name(result.status_code) +
                                        (description.empty() ? "" : ": " + description),
                                    0, reporter, result.status_code});
            for (const auto& route : route_names) {
                (void)store_.add_event({result.id, core::event::queued, route,
                                        "status " + result.status_code + " for " + result.document,
                                        0, reporter, ""});
                core::log(core::log_level::info, "status.queued",
                          {{"id", result.id},
                           {"document", result.document},
                           {"code", result.status_code},
                           {"route", route}});
            }
            done(std::move(result));
        });
}

}  // namespace lienthong::bus::pipeline
