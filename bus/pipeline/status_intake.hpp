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

namespace lienthong::bus::pipeline {

/// What the bus tells the reporter once a status is safely in the broker.
struct status_accepted {
    std::string id;           ///< the bus id of the status message (UUID v4)
    std::string document;     ///< the bus id of the original document it answers
    std::string status_code;  ///< e.g. "06"
    std::vector<std::string> recipients;  ///< who it is delivered to
};

/// The edXML name of a status code ("03" → "acceptance"), "" for an unknown code.
std::string status_name(const std::string& code);

/// The intake of a QCVN 102 status packet (EDXML.md section 3): parse safely, validate against
/// status.xsd, read the header, check that From is the caller, find the original document by
/// ResponseFor (DocumentId and OrganId), check that the caller may report on it, record the
/// status on the original's journey, and publish it with confirms on the routes of whom it
/// informs: the original sender, or, for a cancellation (13) sent by the original sender, the
/// recipients.
///
/// Thread-safety: submit() may be called from any thread; its dependencies must outlive it.
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

private:
    xml::parse_limits limits_;
    const xml::schema_validator& schema_;
    const routing::directory& directory_;
    broker::publisher& publisher_;
    store::tracking_store& store_;
    core::metrics& metrics_;
};

}  // namespace lienthong::bus::pipeline
