#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "broker/publisher.hpp"
#include "core/metrics.hpp"
#include "core/result.hpp"
#include "routing/directory.hpp"
#include "store/tracking_store.hpp"
#include "xml/packet_parser.hpp"
#include "xml/schema_validator.hpp"
#include "xml/status_header.hpp"

namespace lienthong::bus::pipeline {

/// What the bus tells the reporter once a status is safely in the broker.
struct status_accepted {
    std::string id;                       ///< the bus id of the status message (UUID v4)
    std::string document;                 ///< the bus id of the original document it answers
    std::string status_code;              ///< e.g. "06"
    std::vector<std::string> recipients;  ///< who it is delivered to
};

/// The intake of a QCVN 102 status packet (EDXML.md section 3): parse safely, validate against
/// status.xsd, read the header, check that From is the caller, find the original document by
/// ResponseFor (DocumentId and OrganId), check that the caller may report on it, record the
/// status on the original's journey, and publish it with confirms on the routes of whom it
/// informs: the original sender, or, for a cancellation (13) sent by the original sender, the
/// recipients.
///
/// Status packets from outside the province arrive through the national axis (submit_inbound()):
/// they inform the original's sender, who must be a local agency.
///
/// Thread-safety: submit() and submit_inbound() may be called from any thread; the dependencies
/// must outlive the intake.
class status_intake final {
  public:
    using completion = std::function<void(core::result<status_accepted>)>;

    status_intake(xml::parse_limits limits, const xml::schema_validator& schema,
                  const routing::directory& directory, broker::publisher& publisher,
                  store::tracking_store& store, core::metrics& metrics);

    /// `reporter`: the authenticated agency code. Errors: the parse and schema errors,
    /// sender_mismatch (From is not the caller), not_found (no accepted document matches
    /// ResponseFor), forbidden (the caller is not an addressee of the original, or sends a
    /// cancellation for another agency's document), broker_unavailable, internal (store).
    /// `done` is called exactly once, at once for a rejection or from the publisher's thread.
    void submit(const std::string& reporter, std::shared_ptr<const std::string> packet,
                completion done) const;

    /// A status packet fetched from the national axis (adapters/national_axis/inbound_poller).
    /// There is no caller to authenticate, so instead From/OrganId must be OUTSIDE the province
    /// (sender_mismatch otherwise: local agencies report over POST /v1/status), and the original
    /// found by ResponseFor must have been sent by an agency of the province (not_found
    /// otherwise: the axis only reports on what this bus sent). The reporter must be an addressee
    /// of the original and may not cancel it (forbidden), as in submit(). The status is recorded
    /// on the original's journey and published to the original sender's routes. Errors and
    /// `done` as for submit().
    void submit_inbound(std::shared_ptr<const std::string> packet, completion done) const;

  private:
    /// Counts and times the outcome, then calls `on_done`.
    completion metered(completion on_done) const;
    /// Parse, schema and header of a status packet.
    core::result<xml::status_header> read(const std::string& packet) const;
    /// The accepted document answered by `header.ResponseFor`. Errors: not_found, internal.
    core::result<store::document_record> find_original(const xml::status_header& header) const;
    /// Publishes the status from `reporter` about `original` to the routes of `informed`, then
    /// records it on the original's journey.
    void publish(const std::string& reporter, std::shared_ptr<const std::string> packet,
                 const xml::status_header& header, const store::document_record& original,
                 const std::vector<std::string>& informed, completion done) const;

    xml::parse_limits limits_;
    const xml::schema_validator& schema_;
    const routing::directory& directory_;
    broker::publisher& publisher_;
    store::tracking_store& store_;
    core::metrics& metrics_;
};

}  // namespace lienthong::bus::pipeline
