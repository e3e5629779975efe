#pragma once
// The tracking store: what the bus knows about each accepted document, its journey, and which
// routes already delivered it. SQLite by default (sqlite_tracking_store); one small interface so
// another backend (PostgreSQL) can slot in.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "store/series.hpp"

namespace lienthong::bus::store {

struct document_record {
    std::string id;                       ///< the bus's document id (UUID)
    std::string document_id;              ///< edXML DocumentId
    int business_doc_type = 0;            ///< 0 new, 1 revocation, 2 update, 3 replacement
    std::string sender;                   ///< From/OrganId
    std::string content_sha256;           ///< hex SHA-256 of the packet bytes, for idempotency
    std::vector<std::string> recipients;  ///< addressee OrganIds
    bool accepted = false;                ///< false while its publish is not yet confirmed
    std::int64_t created_ms = 0;
    /// The state of its main document's signatures (issue 16): "signed", "signed-invalid",
    /// "unsigned", "not-pdf" (no PDF in the packet); "" when the checks are off.
    std::string signature_state;
    /// Its subject (edXML Subject), kept for the console's search; "" when read back.
    std::string subject;
};

/// One page of a document search, and how many documents match in all.
struct document_page {
    std::int64_t total = 0;
    std::vector<document_record> documents;
};

/// One agency's documents in a signatures report: accepted documents whose signatures were
/// checked, counted by the state of their main document.
struct signature_counts {
    std::string agency;  ///< sender (From/OrganId)
    std::int64_t documents = 0;
    std::int64_t signed_valid = 0;
    std::int64_t signed_invalid = 0;
    std::int64_t unsigned_pdf = 0;
    std::int64_t not_pdf = 0;
};

/// One step of a document's journey.
struct journey_event {
    std::string id;     ///< document id
    std::string kind;   ///< received, rejected, unconfirmed, accepted, queued, attempt,
                        ///< delivered, dead_lettered, replayed, status
    std::string route;  ///< route name, empty when not route-specific
    std::string detail;
    std::int64_t time_ms = 0;
    std::string
        agency;        ///< the agency concerned: status reporter, rejected sender, replaying admin
    std::string code;  ///< status code ("06"), rejection type slug, or attempt outcome
};

/// Thread-safety: every method may be called from any thread (implementations serialise).
/// Errors: internal (store unreachable or failing), with details in log_detail.
class tracking_store {
  public:
    virtual ~tracking_store() = default;

    /// Idempotency gate: records `candidate` (not yet accepted) unless a document with the same
    /// (document_id, business_doc_type) exists, and returns whichever record now holds that key.
    /// The caller compares ids and content hashes to tell new, repeated and conflicting packets.
    virtual core::result<document_record> reserve(const document_record& candidate) = 0;
    /// The broker confirmed every route of `id`; `events` (queued, accepted) are recorded with
    /// it, in one transaction where the backend has them (one commit per document, not four).
    virtual core::result<void> mark_accepted(const std::string& id,
                                             const std::vector<journey_event>& events) = 0;
    virtual core::result<std::optional<document_record>> find(const std::string& id) = 0;
    /// Accepted documents with this DocumentId (any business type), oldest first.
    virtual core::result<std::vector<document_record>> find_by_document_id(
        const std::string& document_id) = 0;

    virtual core::result<void> add_event(const journey_event& e) = 0;
    virtual core::result<std::vector<journey_event>> journey(const std::string& id) = 0;
    /// The latest events of the given kinds, newest first (the dashboard's recent failures).
    virtual core::result<std::vector<journey_event>> recent_events(
        const std::vector<std::string>& kinds, std::size_t limit) = 0;
    /// Per sender, the accepted documents created in [from_ms, to_ms) whose signatures were
    /// checked (signature_state not empty), counted by state; ordered by agency code.
    virtual core::result<std::vector<signature_counts>> signature_report(std::int64_t from_ms,
                                                                         std::int64_t to_ms) = 0;
    /// A trivial query: the store is reachable (for /readyz).
    virtual core::result<void> ping() = 0;

    /// Marks (id, route) delivered and records `event` with it. Returns false if it already was
    /// (a redelivery that raced the check; the event is still recorded, it did happen).
    virtual core::result<bool> mark_delivered(const std::string& id, const std::string& route,
                                              const journey_event& event) = 0;
    virtual core::result<bool> is_delivered(const std::string& id, const std::string& route) = 0;

    /// The console's history and document search (issue 18, series.hpp); the series are
    /// written by add_event, mark_accepted and mark_delivered themselves.
    /// Sums per step and metric of `q`'s window (one agency, or all when q.agency is empty).
    virtual core::result<std::vector<series_count>> series(const series_query& q) = 0;
    /// Sums per agency and metric over [from_ms, to_ms) (the agency tree's states).
    virtual core::result<std::vector<series_count>> series_by_agency(std::int64_t from_ms,
                                                                     std::int64_t to_ms) = 0;
    /// One page of the documents matching `q`, newest first, at most q.limit.
    virtual core::result<document_page> search_documents(const document_query& q) = 0;
};

}  // namespace lienthong::bus::store
