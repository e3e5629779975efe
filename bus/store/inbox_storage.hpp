#pragma once
/// The pull inbox's table, kept in the tracking store's backend (the SQLite file `store.path`, or
/// the PostgreSQL database `store.postgresql_url`), so that every bus instance sharing a store
/// also shares the inboxes: a document one instance delivered is listed, read and acked through
/// any other. One row per (agency, bus id); every query is scoped by the agency, so one agency
/// can never see, read or ack another's documents.
///
/// The table is created by the storage itself (CREATE TABLE IF NOT EXISTS, under a lock on
/// PostgreSQL), apart from the tracking store's numbered migrations.
///
/// Thread-safety: every method may be called from any thread (implementations serialise).
/// Errors: internal (the database failed or is unreachable), details in log_detail.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "core/result.hpp"

namespace lienthong::bus::store {

/// A waiting document as listed (without the packet).
struct inbox_entry {
    std::string id;           ///< the bus's document id
    std::string document_id;  ///< edXML DocumentId
    std::string sender;
    std::int64_t received_ms = 0;  ///< when the bus put it in the inbox (Unix ms)
    std::int64_t bytes = 0;        ///< packet size; ignored by put()
    /// The documents' own signatures as the bus found them at ingest (the sidecar): compact
    /// summary and the JSON verdicts of bus/pdf/verdict.hpp; "" when not checked.
    std::string document_signatures;
    std::string document_verdicts;
};

class inbox_storage {
  public:
    virtual ~inbox_storage() = default;

    /// Puts `packet` in `agency`'s inbox under e.id. Exactly once per (agency, e.id): putting the
    /// same pair again (a broker redelivery, another instance's copy) keeps the first and
    /// succeeds.
    virtual core::result<void> put(const std::string& agency, const inbox_entry& e,
                                   const std::string& packet) = 0;
    /// The agency's waiting documents, oldest first (received_ms, then id), at most `limit`.
    virtual core::result<std::vector<inbox_entry>> list(const std::string& agency,
                                                        std::size_t limit) = 0;
    /// The packet bytes as put, or nullopt when the agency has no such document.
    virtual core::result<std::optional<std::string>> packet(const std::string& agency,
                                                            const std::string& id) = 0;
    /// Removes it; false when the agency had no such document (never put, or already acked).
    virtual core::result<bool> ack(const std::string& agency, const std::string& id) = 0;
};

/// Opens the inbox in the backend the `store` section names: the SQLite file `path` (its own
/// connection to the tracking store's file) or the PostgreSQL database `postgresql_url` (its own
/// connection). Throws std::runtime_error (without a password) when it cannot be opened.
std::unique_ptr<inbox_storage> make_inbox_storage(const config::store_config& c);

}  // namespace lienthong::bus::store
