#include "pipeline/ingest.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>

#include "core/log.hpp"
#include "core/message_contract.hpp"
#include "core/metric_families.hpp"
#include "crypto/digest.hpp"
#include "pipeline/document_signatures.hpp"
#include "pipeline/envelope_signature.hpp"
#include "routing/router.hpp"
#include "xml/attachments.hpp"
#include "xml/edxml_header.hpp"

namespace lienthong::bus::pipeline {

ingest::ingest(xml::parse_limits limits, const xml::schema_validator& schema,
               const crypto::signature_verifier& verifier, const routing::directory& directory,
               broker::publisher& publisher, store::tracking_store& store, core::metrics& metrics,
               const crypto::trust_store* document_trust)
    : limits_(limits),
      schema_(schema),
      verifier_(verifier),
      directory_(directory),
      publisher_(publisher),
      store_(store),
      metrics_(metrics),
      document_trust_(document_trust) {}

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
    run(origin::agency(sender), std::move(packet), std::move(done));
}

void ingest::submit_inbound(std::shared_ptr<const std::string> packet, completion done) const {
    run(origin::national_axis(), std::move(packet), std::move(done));
}

void ingest::run(const origin& from, std::shared_ptr<const std::string> packet,
                 completion on_done) const {
    completion done = finish(from, std::move(on_done));
    auto checked = check(from, *packet);
    if (!checked) {
        return done(std::move(checked).error());
    }
    auto reserved = reserve(*checked, crypto::sha256_hex(*packet));
    if (!reserved || reserved->repeated) {
        return done(std::move(reserved));  // a repeat of an accepted packet is never republished
    }
    publish(*checked, std::move(*reserved), std::move(packet), std::move(done));
}

ingest::completion ingest::finish(const origin& from, completion on_done) const {
    // Whichever step ends the submission, its outcome is counted, timed and, for a rejection,
    // recorded (rejected packets get no document: the event carries a fresh id, the sender and
    // the problem type, for the operators' list of recent failures).
    return [this, sender = from.name(), started = std::chrono::steady_clock::now(),
            on_done = std::move(on_done)](core::result<accepted> r) {
        const std::string outcome = !r ? "rejected" : r->repeated ? "repeated" : "accepted";
        const std::string type = r ? "" : std::string(core::type_slug(r.error().code));
        metrics_.add(core::metric::documents.name, {{"outcome", outcome}, {"type", type}});
        metrics_.observe(
            core::metric::ingest_duration.name, {{"outcome", outcome}},
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
        if (!r) {
            (void)store_.add_event(
                {new_bus_id(), core::event::rejected, "", r.error().message, 0, sender, type});
        }
        on_done(std::move(r));
    };
}

core::result<ingest::checked_packet> ingest::check(const origin& from,
                                                   const std::string& packet) const {
    auto doc = parse_and_validate(packet, limits_, schema_);
    if (!doc) {
        return std::move(doc).error();
    }
    auto header = xml::read_edoc_header(doc->get());
    if (!header) {
        return std::move(header).error();
    }
    // Authorization before the costly crypto: an agency posts only as itself.
    if (auto sender = check_sender(from, header->from.organ_id, directory_, "POST /v1/documents");
        !sender) {
        return std::move(sender).error();
    }
    auto verdict = check_envelope(doc->get(), from, *header);
    if (!verdict) {
        return std::move(verdict).error();
    }
    checked_packet checked{{}, std::move(*verdict), {}, {}, {}};
    if (auto documents = check_documents(doc->get(), *header, checked); !documents) {
        return std::move(documents).error();
    }
    if (auto added = add_original_recipients(*header); !added) {
        return std::move(added).error();
    }
    auto routes = plan(from, *header);
    if (!routes) {
        return std::move(routes).error();
    }
    checked.header = std::move(*header);
    checked.routes = std::move(*routes);
    return checked;
}

core::result<void> ingest::check_documents(xmlDoc* doc, const xml::edoc_header& header,
                                           checked_packet& checked) const {
    if (document_trust_ == nullptr) {
        return {};
    }
    // One material for the whole packet: a reload never changes trust half-way through it.
    const auto material = document_trust_->material();
    checked.documents = pipeline::check_documents(doc, material.get(), std::time(nullptr));
    count_verdicts(metrics_, checked.documents);
    const auto manifest = xml::manifest_content_ids(doc);
    const int main = main_document(checked.documents, manifest);
    checked.main_state = main < 0 ? "not-pdf"
                                  : std::string(pdf::document_state_slug(
                                        checked.documents[static_cast<std::size_t>(main)].state));
    return apply_document_policy(checked.documents, manifest, header.from.organ_id, directory_);
}

core::result<std::string> ingest::check_envelope(xmlDoc* doc, const origin& from,
                                                 const xml::edoc_header& header) const {
    const auto rules = from.is_national_axis() ? directory_.axis_inbound_envelope()
                                               : directory_.envelope_for(from.name());
    auto envelope =
        check_envelope_signature(doc, rules, header.from.organ_id, verifier_, directory_);
    if (!envelope) {
        return std::move(envelope).error();
    }
    std::string verdict(verdict_name(*envelope));
    metrics_.add(
        core::metric::envelope_signatures.name,
        {{"verdict", verdict}, {"policy", std::string(routing::policy_name(rules.policy))}});
    return verdict;
}

core::result<std::vector<routing::route>> ingest::plan(const origin& from,
                                                       const xml::edoc_header& header) const {
    auto routes = routing::plan_routes(header, directory_);
    if (!routes || !from.is_national_axis()) {
        return routes;
    }
    // The axis delivers to the addressees outside the province itself: routing them back to it
    // would loop.
    std::erase_if(*routes, [](const routing::route& r) {
        return r.routing_key == routing::national_axis_route;
    });
    if (routes->empty()) {
        return core::fail(core::errc::unknown_recipient,
                          "no addressee of this packet is an agency of this province",
                          "To/OrganId");
    }
    return routes;
}

core::result<accepted> ingest::reserve(const checked_packet& checked,
                                       const std::string& content_sha256) const {
    // Idempotency: the first packet with a (DocumentId, business type) owns its bus id.
    const auto& header = checked.header;
    store::document_record candidate{new_bus_id(),
                                     header.document_id,
                                     header.business_doc_type,
                                     header.from.organ_id,
                                     content_sha256,
                                     {},
                                     false,
                                     0,
                                     checked.main_state};
    candidate.subject = header.subject;  // for the console's document search
    for (const auto& r : checked.routes) {
        for (const auto& recipient : r.recipients) {
            // An agency with several subscriptions is still one recipient.
            if (std::find(candidate.recipients.begin(), candidate.recipients.end(), recipient) ==
                candidate.recipients.end()) {
                candidate.recipients.push_back(recipient);
            }
        }
    }
    auto owner = store_.reserve(candidate);
    if (!owner) {
        return std::move(owner).error();
    }
    if (owner->content_sha256 != content_sha256) {
        return core::fail(core::errc::duplicate_document,
                          "DocumentId '" + header.document_id +
                              "' was already accepted with different content (bus id " + owner->id +
                              "); a changed document needs a new DocumentId",
                          "DocumentId");
    }
    return accepted{owner->id,
                    header.document_id,
                    owner->recipients,
                    owner->accepted,
                    checked.envelope_verdict,
                    checked.documents,
                    document_trust_ != nullptr ? pdf::compact_summary(checked.documents) : ""};
}

void ingest::publish(const checked_packet& checked, accepted result,
                     std::shared_ptr<const std::string> packet, completion done) const {
    // A reserved but unconfirmed id (an earlier attempt failed or crashed) is published again
    // under the same id; deliveries are de-duplicated per (id, route).
    const auto& header = checked.header;
    (void)store_.add_event({result.id, core::event::received, "",
                            "DocumentId " + header.document_id + ", business type " +
                                std::to_string(header.business_doc_type) + ", envelope signature " +
                                checked.envelope_verdict,
                            0, header.from.organ_id, ""});
    if (!result.document_signatures.empty()) {
        (void)store_.add_event({result.id, core::event::signatures, "", result.document_signatures,
                                0, header.from.organ_id, checked.main_state});
    }
    const std::string verdicts = sidecar_json(checked.documents, document_trust_ != nullptr);
    std::vector<broker::outgoing_message> messages;
    std::vector<std::string> route_names;
    for (const auto& r : checked.routes) {
        route_names.push_back(r.routing_key);
        messages.push_back({r.routing_key, packet, result.id,
                            core::encode_headers({result.id,
                                                  header.document_id,
                                                  header.from.organ_id,
                                                  r.recipients,
                                                  core::message_kind::edoc,
                                                  {},
                                                  {},
                                                  checked.envelope_verdict,
                                                  result.document_signatures,
                                                  verdicts})});
    }
    // On a confirm timeout the sender hears 503 at once and the journey says "unconfirmed";
    // if the broker confirms later the document becomes accepted (and is delivered), so a
    // retry of the same packet then gets the original answer.
    auto route_list = std::make_shared<const std::vector<std::string>>(std::move(route_names));
    auto late = [this, id = result.id, document_id = result.document_id,
                 routes = route_list](core::result<void> published) {
        if (!published) {
            core::log(core::log_level::warn, "document.unconfirmed_lost",
                      {{"id", id}, {"detail", published.error().log_detail}});
            return;
        }
        record_accepted(id, document_id, *routes, true);
    };
    publisher_.publish_with_late_outcome(
        std::move(messages),
        [this, result = std::move(result), done = std::move(done),
         routes = route_list](core::result<void> published) mutable {
            if (!published) {
                auto failure = std::move(published).error();
                if (failure.outcome_pending) {
                    (void)store_.add_event(
                        {result.id, core::event::unconfirmed, "", failure.log_detail, 0, "", ""});
                    core::log(core::log_level::warn, "document.unconfirmed",
                              {{"id", result.id}, {"document_id", result.document_id}});
                    // The sender can follow it: the journey says whether it became accepted.
                    failure.message +=
                        "; the document may still be accepted: send the same "
                        "packet again later to learn the outcome (it is never "
                        "delivered twice); bus id " +
                        result.id + ", its journey: GET /v1/documents/" + result.id;
                }
                return done(std::move(failure));
            }
            record_accepted(result.id, result.document_id, *routes, false);
            done(std::move(result));
        },
        std::move(late));
}

void ingest::record_accepted(const std::string& id, const std::string& document_id,
                             const std::vector<std::string>& routes, bool late) const {
    if (late) {
        // A retry may have been published and confirmed meanwhile: record acceptance once.
        auto doc = store_.find(id);
        if (doc && *doc && (*doc)->accepted) {
            return;
        }
    }
    std::vector<store::journey_event> events;
    for (const auto& route : routes) {
        metrics_.add(core::metric::route_published.name, {{"route", route}});
        events.push_back({id, core::event::queued, route, "", 0, "", ""});
        core::log(core::log_level::info, "document.queued",
                  {{"id", id}, {"document_id", document_id}, {"route", route}});
    }
    events.push_back({id, core::event::accepted, "", late ? "confirmed late" : "", 0, "", ""});
    // The broker holds the document now: a store hiccup must not turn the answer into a failure
    // (a retry would publish it again).
    if (auto marked = store_.mark_accepted(id, events); !marked) {
        core::log(core::log_level::error, "store.mark_accepted_failed",
                  {{"id", id}, {"detail", marked.error().log_detail}});
    }
}

}  // namespace lienthong::bus::pipeline
