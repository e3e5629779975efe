#include "http/handlers/tracking.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "core/log.hpp"
#include "core/message_contract.hpp"
#include "http/problem.hpp"
#include "pipeline/journey.hpp"

namespace lienthong::bus::http::handlers {

namespace {

constexpr const char* agency_prefix = "/v1/documents/";
constexpr const char* admin_prefix = "/v1/admin/documents/";

/// The path segment after `prefix`, without a query, percent-decoded (a DocumentId's '/' comes
/// as %2F); "" when it is not one well-formed segment.
std::string id_of(const request& req, std::string_view prefix) {
    auto target = std::string_view(req.target());
    target = target.substr(0, target.find('?'));
    auto id = target.substr(prefix.size());
    if (id.empty() || id.find('/') != std::string_view::npos) {
        return {};
    }
    auto decoded = percent_decode(id).value_or(std::string{});
    const bool control = std::any_of(decoded.begin(), decoded.end(),
                                     [](char c) { return static_cast<unsigned char>(c) < 0x20; });
    return control ? std::string{} : decoded;
}

boost::json::object journey_json(const store::document_record& doc,
                                 const std::vector<store::journey_event>& events) {
    const auto summary = pipeline::summarize(doc, events);
    boost::json::array recipients;
    for (const auto& r : summary.recipients) {
        recipients.push_back({{"agency", r.agency},
                              {"delivered", r.delivered},
                              {"dead_lettered", r.dead_lettered},
                              {"status_code", r.status_code},
                              {"status", core::status_name(r.status_code)}});
    }
    boost::json::array list;
    for (const auto& e : events) {
        list.push_back({{"time_ms", e.time_ms},
                        {"kind", e.kind},
                        {"route", e.route},
                        {"agency", e.agency},
                        {"code", e.code},
                        {"detail", e.detail}});
    }
    return {{"id", doc.id},
            {"document_id", doc.document_id},
            {"business_doc_type", doc.business_doc_type},
            {"sender", doc.sender},
            {"accepted", doc.accepted},
            {"created_ms", doc.created_ms},
            {"state", summary.state},
            {"recipients", std::move(recipients)},
            {"events", std::move(list)}};
}

/// Finds the document and answers with its journey if `allowed` says so.
template <class Allowed>
void answer_journey(store::tracking_store& store, const request& req, const std::string& id,
                    bool by_document_id_too, Allowed allowed, responder& respond) {
    const auto version = req.version();
    const bool keep_alive = req.keep_alive();
    if (id.empty()) {
        // One path segment holding the id; its '/' and ',' percent-encoded (%2F, %2C).
        return respond(make_problem(
            core::fail(core::errc::invalid_request,
                       "the document id must be one path segment: a bus id, or a DocumentId with "
                       "'/' written as %2F; no malformed %-escape, no control character",
                       "id"),
            version, keep_alive));
    }
    auto not_found = core::fail(core::errc::not_found, "no document with id '" + id + "'", "id");
    auto doc = store.find(id);
    if (!doc) {
        return respond(make_problem(doc.error(), version, keep_alive));
    }
    if (!*doc && by_document_id_too) {
        auto same = store.find_by_document_id(id);
        if (!same) {
            return respond(make_problem(same.error(), version, keep_alive));
        }
        if (!same->empty()) {
            *doc = same->front();
        }
    }
    if (!*doc) {
        return respond(make_problem(not_found, version, keep_alive));
    }
    if (auto ok = allowed(**doc); !ok) {
        return respond(make_problem(ok.error(), version, keep_alive));
    }
    auto events = store.journey((*doc)->id);
    if (!events) {
        return respond(make_problem(events.error(), version, keep_alive));
    }
    respond(make_json(beast_http::status::ok, boost::json::serialize(journey_json(**doc, *events)),
                      version, keep_alive));
}

}  // namespace

endpoint document_journey(store::tracking_store& store) {
    return endpoint{beast_http::verb::get, agency_prefix, role::agency, "",
                    [&store](request&& req, const caller& who, responder respond) {
                        answer_journey(
                            store, req, id_of(req, agency_prefix), false,
                            [&who](const store::document_record& d) {
                                auto parties = d.recipients;
                                parties.push_back(d.sender);
                                return require_one_of(who, parties, "see this document");
                            },
                            respond);
                    }};
}

endpoint admin_document_journey(store::tracking_store& store) {
    return endpoint{beast_http::verb::get, admin_prefix, role::admin, "",
                    [&store](request&& req, const caller&, responder respond) {
                        answer_journey(
                            store, req, id_of(req, admin_prefix), true,
                            [](const store::document_record&) { return core::result<void>{}; },
                            respond);
                    }};
}

endpoint submit_status(const pipeline::status_intake& intake) {
    return endpoint{
        beast_http::verb::post, "/v1/status", role::agency, "application/xml",
        [&intake](request&& req, const caller& who, responder respond) {
            const auto version = req.version();
            const bool keep_alive = req.keep_alive();
            intake.submit(
                who.agency, std::make_shared<const std::string>(std::move(req.body())),
                [version, keep_alive, respond = std::move(respond),
                 reporter = who.agency](core::result<pipeline::status_accepted> r) {
                    if (!r) {
                        const auto& f = r.error();
                        core::log(core::log_level::info, "status.rejected",
                                  {{"sender", reporter},
                                   {"type", core::type_slug(f.code)},
                                   {"detail", f.log_detail.empty() ? f.message : f.log_detail}});
                        return respond(make_problem(f, version, keep_alive));
                    }
                    boost::json::array recipients;
                    for (const auto& rc : r->recipients) {
                        recipients.emplace_back(rc);
                    }
                    core::log(core::log_level::info, "status.accepted",
                              {{"id", r->id},
                               {"document", r->document},
                               {"code", r->status_code},
                               {"sender", reporter}});
                    boost::json::object body{{"id", r->id},
                                             {"document", r->document},
                                             {"status_code", r->status_code},
                                             {"recipients", std::move(recipients)}};
                    auto res = make_json(beast_http::status::accepted, boost::json::serialize(body),
                                         version, keep_alive);
                    res.set(beast_http::field::location, "/v1/documents/" + r->document);
                    respond(std::move(res));
                });
        }};
}

}  // namespace lienthong::bus::http::handlers
