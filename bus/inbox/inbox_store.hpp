#pragma once
/// The pull inbox's storage, shared by the `inbox` adapter (which fills it) and the bus's
/// /v1/inbox endpoints (which read and ack it): one SQLite table keyed by (agency, id). Every
/// query is scoped by the agency, so one agency can never see, read or ack another's documents.
///
/// Thread-safety: every method may be called from any thread (one connection, serialised).
/// Errors: internal (the database failed), details in log_detail.
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "adapters/api/adapter.hpp"
#include "core/result.hpp"
#include "store/sqlite.hpp"

namespace lienthong::bus::inbox {

using adapters::delivery;
using adapters::delivery_result;
using adapters::outcome;

/// A waiting document as listed (without the packet).
struct entry {
    std::string id;           ///< the bus's document id
    std::string document_id;  ///< edXML DocumentId
    std::string sender;
    std::int64_t received_ms = 0;  ///< when the bus put it in the inbox (Unix ms)
    std::int64_t bytes = 0;
    /// The documents' own signatures as the bus found them at ingest (the sidecar): compact
    /// summary and the JSON verdicts of bus/pdf/verdict.hpp; "" when not checked.
    std::string document_signatures;
    std::string document_verdicts;
};

class inbox_store final {
  public:
    /// Opens or creates the database. Throws std::runtime_error naming the path (start-up only).
    explicit inbox_store(const std::string& path);

    /// Puts `d` in the inbox of each of d.recipients (one, on an agency's route). A redelivery of
    /// the same (recipient, id) keeps the first copy (the broker may deliver a message twice).
    core::result<void> put(const delivery& d);
    /// The agency's waiting documents, oldest first, at most `limit`.
    core::result<std::vector<entry>> list(const std::string& agency, std::size_t limit);
    /// The original packet bytes, or nullopt when the agency has no such document.
    core::result<std::optional<std::string>> packet(const std::string& agency,
                                                    const std::string& id);
    /// Removes it; false when the agency had no such document.
    core::result<bool> ack(const std::string& agency, const std::string& id);

  private:
    /// put() for one agency; the caller holds mutex_.
    core::result<void> put_one(const std::string& agency, const delivery& d, std::int64_t now);
    std::mutex mutex_;
    bus::store::sqlite_db db_;
};

}  // namespace lienthong::bus::inbox
