#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "broker/publisher.hpp"
#include "core/metrics.hpp"
#include "core/result.hpp"
#include "crypto/signature_verifier.hpp"
#include "crypto/trust_store.hpp"
#include "pdf/verdict.hpp"
#include "pipeline/intake_steps.hpp"
#include "routing/directory.hpp"
#include "routing/router.hpp"
#include "store/tracking_store.hpp"
#include "xml/edxml_header.hpp"
#include "xml/packet_parser.hpp"
#include "xml/schema_validator.hpp"

namespace lienthong::bus::pipeline {

/// What the bus tells the sender once a document is safely in the broker.
struct accepted {
    std::string id;           ///< the bus's document id (UUID v4)
    std::string document_id;  ///< edXML DocumentId
    std::vector<std::string> recipients;
    bool repeated = false;  ///< the same packet was accepted before: nothing was published again
    /// What the envelope-signature policy found: verdict_name() of envelope_signature.hpp.
    std::string envelope_signature;
    /// The documents' own signatures (issue 16): one verdict per attachment (per zip entry) and
    /// the compact summary; empty when the checks are off (no document trust store).
    std::vector<pdf::document_verdict> documents;
    std::string document_signatures;
};

/// The ingest pipeline of an edoc packet: parse safely, validate against the XSD, read the
/// header, check the sender, apply the sender's envelope-signature policy (verify the XML-DSig and
/// its chain and that the signer is the sender, or accept a placeholder or none:
/// envelope_signature.hpp), verify the signed PDFs among the attachments and apply the sender's
/// document-signature policy (document_signatures.hpp; only with a document trust store), plan
/// one route per addressee, reserve the DocumentId in the tracking
/// store (idempotency), and publish with confirms. Every outcome is counted and timed in `metrics`;
/// the journey (received, queued per route, accepted) and rejections go to the tracking store.
///
/// Thread-safety: submit() may be called from any thread; its dependencies must outlive it.
class ingest final {
  public:
    using completion = std::function<void(core::result<accepted>)>;

    /// `document_trust`: the trust store of the documents' own signatures (trust.document_*),
    /// or nullptr to leave the PDFs unchecked (no verdicts, no document policy).
    ingest(xml::parse_limits limits, const xml::schema_validator& schema,
           const crypto::signature_verifier& verifier, const routing::directory& directory,
           broker::publisher& publisher, store::tracking_store& store, core::metrics& metrics,
           const crypto::trust_store* document_trust = nullptr);

    /// `sender`: the authenticated agency code. The checks run on the calling thread; `done` is
    /// called exactly once: at once for a rejection, or from the publisher's thread after the
    /// broker confirmed (or failed) every route.
    void submit(const std::string& sender, std::shared_ptr<const std::string> packet,
                completion done) const;

    /// A packet fetched from the national axis (adapters/national_axis/inbound_poller.hpp). There
    /// is no caller to authenticate, so instead From/OrganId must be OUTSIDE the province (nobody
    /// on the axis speaks for a local agency: sender_mismatch). Everything else applies as in
    /// submit(). Only addressees in the directory are routed: the axis delivers to the others
    /// itself, and routing them back to it would loop (unknown_recipient when none is local).
    void submit_inbound(std::shared_ptr<const std::string> packet, completion done) const;

  private:
    /// What the checks established about a packet before anything is stored or published.
    struct checked_packet {
        xml::edoc_header header;
        std::string envelope_verdict;  ///< verdict_name() of envelope_signature.hpp
        std::vector<routing::route> routes;
        std::vector<pdf::document_verdict> documents;  ///< empty when the checks are off
        std::string main_state;  ///< the main document's state slug; "" when the checks are off
    };

    /// The pipeline: check, then reserve, then publish; `done` is metered by finish().
    void run(const origin& from, std::shared_ptr<const std::string> packet, completion done) const;
    /// Wraps `done`: counts and times the outcome, records a rejection for the operators.
    completion finish(const origin& from, completion done) const;
    /// Steps parse, header, sender, envelope signature, original recipients, routes.
    core::result<checked_packet> check(const origin& from, const std::string& packet) const;
    /// Step "envelope signature": the sender's policy (envelope_signature.hpp), counted.
    core::result<std::string> check_envelope(xmlDoc* doc, const origin& from,
                                             const xml::edoc_header& header) const;
    /// Step "document signatures": every attachment's verdicts, counted, and the sender's
    /// document policy (a refusal is document_unsigned / _signature_invalid / _signer_not_sender).
    core::result<void> check_documents(xmlDoc* doc, const xml::edoc_header& header,
                                       checked_packet& checked) const;
    /// For revocation/update/replacement packets: adds the recipients of the originals (same
    /// sender, found by DocumentId) to `header.to`.
    core::result<void> add_original_recipients(xml::edoc_header& header) const;
    /// Step "routes": one route per addressee; from the axis, only the local ones.
    core::result<std::vector<routing::route>> plan(const origin& from,
                                                   const xml::edoc_header& header) const;
    /// Step "reserve": the DocumentId's bus id in the tracking store (idempotency).
    core::result<accepted> reserve(const checked_packet& checked,
                                   const std::string& content_sha256) const;
    /// Step "publish": one message per route with confirms, then the journey's queued/accepted.
    void publish(const checked_packet& checked, accepted result,
                 std::shared_ptr<const std::string> packet, completion done) const;
    /// The broker confirmed every route (`late`: after the sender was answered 503): metrics,
    /// queued and accepted events, the accepted mark. Once per document.
    void record_accepted(const std::string& id, const std::string& document_id,
                         const std::vector<std::string>& routes, bool late) const;

    xml::parse_limits limits_;
    const xml::schema_validator& schema_;
    const crypto::signature_verifier& verifier_;
    const routing::directory& directory_;
    broker::publisher& publisher_;
    store::tracking_store& store_;
    core::metrics& metrics_;
    const crypto::trust_store* document_trust_;
};

}  // namespace lienthong::bus::pipeline
