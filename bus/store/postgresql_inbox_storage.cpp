#include "store/postgresql_inbox_storage.hpp"

#include <stdexcept>

namespace lienthong::bus::store {

namespace {

// Concurrent CREATE TABLE IF NOT EXISTS can still collide in the catalog; the lock (any number,
// apart from the tracking store's migration lock) makes starting instances take turns.
constexpr const char* create_inbox = R"sql(
    BEGIN;
    SELECT pg_advisory_xact_lock(7402510267);
    CREATE TABLE IF NOT EXISTS inbox (
        agency TEXT NOT NULL,
        id TEXT NOT NULL,
        document_id TEXT NOT NULL,
        sender TEXT NOT NULL,
        received_ms BIGINT NOT NULL,
        packet BYTEA NOT NULL,
        document_signatures TEXT NOT NULL DEFAULT '',
        document_verdicts TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (agency, id));
    COMMIT;
    )sql";

}  // namespace

postgresql_inbox_storage::postgresql_inbox_storage(const std::string& url)
    : conn_(url, "the PostgreSQL inbox") {
    std::lock_guard lock(mutex_);
    if (auto r = conn_.query(create_inbox); !r) {
        (void)conn_.query("ROLLBACK");
        throw std::runtime_error("cannot create the inbox table in PostgreSQL: " +
                                 r.error().log_detail);
    }
}

core::result<void> postgresql_inbox_storage::put(const std::string& agency, const inbox_entry& e,
                                                 const std::string& packet) {
    std::lock_guard lock(mutex_);
    auto r = conn_.query(
        "INSERT INTO inbox (agency, id, document_id, sender, received_ms, packet,"
        " document_signatures, document_verdicts) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        " ON CONFLICT (agency, id) DO NOTHING",
        {agency, e.id, e.document_id, e.sender, std::to_string(e.received_ms), packet,
         e.document_signatures, e.document_verdicts},
        {0, 0, 0, 0, 0, 1});  // the packet as raw bytes: it need not be valid UTF-8
    if (!r) {
        return std::move(r).error();
    }
    return {};
}

core::result<std::vector<inbox_entry>> postgresql_inbox_storage::list(const std::string& agency,
                                                                      std::size_t limit) {
    std::lock_guard lock(mutex_);
    auto r = conn_.query(
        "SELECT id, document_id, sender, received_ms, octet_length(packet),"
        " document_signatures, document_verdicts FROM inbox"
        " WHERE agency = $1 ORDER BY received_ms, id LIMIT $2",
        {agency, std::to_string(limit)});
    if (!r) {
        return std::move(r).error();
    }
    std::vector<inbox_entry> out;
    const PGresult* res = r->get();
    for (int i = 0; i < PQntuples(res); ++i) {
        out.push_back({pg_text(res, i, 0), pg_text(res, i, 1), pg_text(res, i, 2),
                       pg_integer(res, i, 3), pg_integer(res, i, 4), pg_text(res, i, 5),
                       pg_text(res, i, 6)});
    }
    return out;
}

core::result<std::optional<std::string>> postgresql_inbox_storage::packet(const std::string& agency,
                                                                          const std::string& id) {
    std::lock_guard lock(mutex_);
    // Binary result: the BYTEA's own bytes, not its hex text form.
    auto r =
        conn_.query("SELECT packet FROM inbox WHERE agency = $1 AND id = $2", {agency, id}, {}, 1);
    if (!r) {
        return std::move(r).error();
    }
    if (PQntuples(r->get()) == 0) {
        return std::optional<std::string>{};
    }
    return std::optional<std::string>(pg_text(r->get(), 0, 0));
}

core::result<bool> postgresql_inbox_storage::ack(const std::string& agency, const std::string& id) {
    std::lock_guard lock(mutex_);
    auto r = conn_.query("DELETE FROM inbox WHERE agency = $1 AND id = $2", {agency, id});
    if (!r) {
        return std::move(r).error();
    }
    return std::string(PQcmdTuples(r->get())) == "1";
}

}  // namespace lienthong::bus::store
