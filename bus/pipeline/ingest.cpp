#include "pipeline/ingest.hpp"

#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/uuid_io.hpp>

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
               broker::publisher& publisher)
    : limits_(limits),
      schema_(schema),
      verifier_(verifier),
      directory_(directory),
      publisher_(publisher) {}

void ingest::submit(const std::string& sender, std::shared_ptr<const std::string> packet,
                    completion done) const {
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
    // Authorization before the costly crypto: an agency posts only as itself.
    if (header->from.organ_id != sender) {
        return done(core::fail(core::errc::sender_mismatch,
                               "From/OrganId '" + header->from.organ_id +
                                   "' is not the authenticated agency '" + sender + "'",
                               "From/OrganId"));
    }
    auto signer = verifier_.verify_edxml(doc->get());
    if (!signer) {
        return done(std::move(signer).error());
    }
    if (signer->uid != header->from.organ_id) {
        return done(core::fail(core::errc::signer_not_sender,
                               "the signing certificate (" + signer->subject +
                                   ") does not belong to the sending agency '" +
                                   header->from.organ_id + "'",
                               "Signature"));
    }
    auto routes = routing::plan_routes(*header, directory_);
    if (!routes) {
        return done(std::move(routes).error());
    }

    accepted result{new_document_id(), header->document_id, {}};
    std::vector<broker::outgoing_message> messages;
    for (const auto& r : *routes) {
        result.recipients.push_back(r.recipient);
        messages.push_back({r.routing_key,
                            packet,
                            result.id,
                            {{"x-document-id", result.id},
                             {"x-edxml-document-id", header->document_id},
                             {"x-sender", header->from.organ_id},
                             {"x-recipient", r.recipient}}});
    }
    publisher_.publish(std::move(messages),
                       [result = std::move(result), done = std::move(done)](
                           core::result<void> published) mutable {
                           if (!published) {
                               return done(std::move(published).error());
                           }
                           done(std::move(result));
                       });
}

}  // namespace lienthong::bus::pipeline
