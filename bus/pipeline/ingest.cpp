#include "pipeline/ingest.hpp"

#include <algorithm>
#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/uuid_io.hpp>
#include <chrono>

#include "core/log.hpp"
#include "core/message_contract.hpp"
#include "crypto/digest.hpp"
#include "pipeline/envelope_signature.hpp"
#include "routing/router.hpp"
#include "xml/edxml_header.hpp"

namespace lienthong::bus::pipeline {

namespace {

std::string new_document_id() {
    // A generator per call: cheap next to the signature check, and no shared mutable state.
    boost::uuids::random_generator gen;
    return boost::uuids::to_string(gen());
}

}  // namespace

ingest::ingest(xml::parse_limits limits, const xml::schema_validator& schema,
               const crypto::signature_verifier& verifier, const routing::directory& directory,
               broker::publisher& publisher, store::tracking_store& store, core::metrics& metrics)
    : limits_(limits),
      schema_(schema),
      verifier_(verifier),
      directory_(directory),
      publisher_(publisher),
      store_(store),
      metrics_(metrics) {}

core::result<void> ingest::add_original_recipients(xml::edoc_header& header) const {
    if (header.business_doc_type == 0) {
        return {};
    }
    // A revocation, update or replacement reaches everyone who got the original, whatever its
    // own To list says. Only the original's sender may act on it.
    std::vector<std::string> ids = header.related_document_ids;
    ids.push_back(header.document_id);
    for (const auto& id : ids) {
        auto originals = store_.find_by_document_id(id);
        if (!originals) {
            return std::move(originals).error();
        }
        for (const auto& original : *originals) {
            if (original.sender != header.from.organ_id || original.business_doc_type != 0) {
                continue;
            }
            for (const auto& recipient : original.recipients) {
                const bool known =
                    std::any_of(header.to.begin(), header.to.end(),
                                [&](const xml::organ& o) { return o.organ_id == recipient; });
                if (!known) {
                    header.to.push_back({recipient, ""});
                }
            }
        }
    }
    return {};
}

void ingest::submit(const std::string& sender, std::shared_ptr<const std::string> packet,
                    completion done) const {
    run(&sender, std::move(packet), std::move(done));
}

void ingest::submit_inbound(std::shared_ptr<const std::string> packet, completion done) const {
    run(nullptr, std::move(packet), std::move(done));
}

void ingest::run(const std::string* caller, std::shared_ptr<const std::string> packet,
                 completion on_done) const {
    const std::string sender = caller != nullptr ? *caller : routing::national_axis_route;
    // Whichever path ends the submission, its outcome is counted, timed and, for a rejection,
    // recorded (rejected packets get no document: the event carries a fresh id, the sender and
    // the problem type, for the operators' list of recent failures).
    completion done = [this, sender, started = std::chrono::steady_clock::now(),
                       on_done = std::move(on_done)](core::result<accepted> r) {
        const std::string outcome = !r ? "rejected" : r->repeated ? "repeated" : "accepted";
        const std::string type = r ? "" : std::string(core::type_slug(r.error().code));
        metrics_.add("lienthong_documents_total", {{"outcome", outcome}, {"type", type}});
        metrics_.observe(
            "lienthong_ingest_duration_seconds", {{"outcome", outcome}},
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
        if (!r) {
            (void)store_.add_event(
                {new_document_id(), core::event::rejected, "", r.error().message, 0, sender, type});
        }
        on_done(std::move(r));
    };
    auto doc = xml::parse_packet(*packet, limits_);
    if (!doc) {
        return done(std::move(doc).error());
    }
    if (auto valid = schema_.validate(doc->get()); !valid) {
        return done(std::move(valid).error());
    }
    auto header = xml::read_edoc_header(doc->get());
    if (!header) {
        return done(std::move(header).error());
    }
    if (caller == nullptr && directory_.find(header->from.organ_id) != nullptr) {
        return done(core::fail(core::errc::sender_mismatch,
                               "From/OrganId '" + header->from.organ_id +
                                   "' is an agency of this province: its documents come through "
                                   "POST /v1/documents, never from the national axis",
                               "From/OrganId"));
    }
    // Authorization before the costly crypto: an agency posts only as itself.
    if (caller != nullptr && header->from.organ_id != sender) {
        return done(core::fail(core::errc::sender_mismatch,
                               "From/OrganId '" + header->from.organ_id +
                                   "' is not the authenticated agency '" + sender + "'",
                               "From/OrganId"));
    }
    const auto rules =
        caller != nullptr ? directory_.envelope_for(sender) : directory_.axis_inbound_envelope();
    auto envelope =
        check_envelope_signature(doc->get(), rules, header->from.organ_id, verifier_, directory_);
    if (!envelope) {
        return done(std::move(envelope).error());
    }
    const std::string verdict(verdict_name(*envelope));
    metrics_.add(
        "lienthong_envelope_signatures_total",
        {{"verdict", verdict}, {"policy", std::string(routing::policy_name(rules.policy))}});
    if (auto added = add_original_recipients(*header); !added) {
        return done(std::move(added).error());
    }
    auto routes = routing::plan_routes(*header, directory_);
    if (!routes) {
        return done(std::move(routes).error());
    }
    if (caller == nullptr) {
        std::erase_if(*routes, [](const routing::route& r) {
            return r.routing_key == routing::national_axis_route;
        });
        if (routes->empty()) {
            return done(core::fail(core::errc::unknown_recipient,
                                   "no addressee of this packet is an agency of this province",
                                   "To/OrganId"));
        }
    }

    // Idempotency: the first packet with a (DocumentId, business type) owns its bus id.
    const auto content_sha256 = crypto::sha256_hex(*packet);
    store::document_record candidate{new_document_id(),
                                     header->document_id,
                                     header->business_doc_type,
                                     header->from.organ_id,
                                     content_sha256,
                                     {},
                                     false,
                                     0};
    for (const auto& r : *routes) {
        candidate.recipients.push_back(r.recipient);
    }
    auto owner = store_.reserve(candidate);
    if (!owner) {
        return done(std::move(owner).error());
    }
    if (owner->content_sha256 != content_sha256) {
        return done(core::fail(core::errc::duplicate_document,
                               "DocumentId '" + header->document_id +
                                   "' was already accepted with different content (bus id " +
                                   owner->id + "); a changed document needs a new DocumentId",
                               "DocumentId"));
    }
    accepted result{owner->id, header->document_id, owner->recipients, owner->accepted, verdict};
    if (owner->accepted) {
        return done(std::move(result));  // the same packet again: nothing is published twice
    }
    // A reserved but unconfirmed id (an earlier attempt failed or crashed) is published again
    // under the same id; deliveries are de-duplicated per (id, route).
    (void)store_.add_event({result.id, core::event::received, "",
                            "DocumentId " + header->document_id + ", business type " +
                                std::to_string(header->business_doc_type) +
                                ", envelope signature " + verdict,
                            0, header->from.organ_id, ""});
    std::vector<broker::outgoing_message> messages;
    std::vector<std::string> route_names;
    for (const auto& r : *routes) {
        route_names.push_back(r.routing_key);
        messages.push_back({r.routing_key, packet, result.id,
                            core::encode_headers({result.id,
                                                  header->document_id,
                                                  header->from.organ_id,
                                                  r.recipient,
                                                  core::message_kind::edoc,
                                                  {},
                                                  {},
                                                  verdict})});
    }
    publisher_.publish(std::move(messages), [this, result = std::move(result),
                                             done = std::move(done),
                                             route_names = std::move(route_names)](
                                                core::result<void> published) mutable {
        if (!published) {
            return done(std::move(published).error());
        }
        std::vector<store::journey_event> events;
        for (const auto& route : route_names) {
            metrics_.add("lienthong_route_published_total", {{"route", route}});
            events.push_back({result.id, core::event::queued, route, "", 0, "", ""});
            core::log(core::log_level::info, "document.queued",
                      {{"id", result.id}, {"document_id", result.document_id}, {"route", route}});
        }
        events.push_back({result.id, core::event::accepted, "", "", 0, "", ""});
        // The broker holds the document now: a store hiccup must not turn
        // the answer into a failure (a retry would publish it again).
        if (auto marked = store_.mark_accepted(result.id, events); !marked) {
            core::log(core::log_level::error, "store.mark_accepted_failed",
                      {{"id", result.id}, {"detail", marked.error().log_detail}});
        }
        done(std::move(result));
    });
}

}  // namespace lienthong::bus::pipeline
