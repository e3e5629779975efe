#include "inbox/inbox_store.hpp"

#include <chrono>
#include <stdexcept>

namespace lienthong::bus::inbox {

inbox_store::inbox_store(const std::string& path) : db_(path) {
    if (auto r = db_.exec("CREATE TABLE IF NOT EXISTS inbox ("
                          " agency TEXT NOT NULL, id TEXT NOT NULL, document_id TEXT NOT NULL,"
                          " sender TEXT NOT NULL, received_ms INTEGER NOT NULL,"
                          " packet BLOB NOT NULL, PRIMARY KEY (agency, id))");
        !r) {
        throw std::runtime_error("cannot create the inbox table in '" + path +
                                 "': " + r.error().log_detail);
    }
    // Inboxes made before the documents' signatures were checked lack the sidecar columns.
    auto has = db_.prepare(
        "SELECT COUNT(*) FROM pragma_table_info('inbox') WHERE name = 'document_verdicts'");
    const auto row = has ? has->step() : core::result<bool>(has.error());
    if (!row || !*row || has->integer(0) == 0) {
        if (auto r = db_.exec("ALTER TABLE inbox ADD COLUMN document_signatures TEXT NOT NULL "
                              "DEFAULT ''; ALTER TABLE inbox ADD COLUMN document_verdicts TEXT "
                              "NOT NULL DEFAULT ''");
            !r) {
            throw std::runtime_error("cannot add the signature columns to the inbox in '" + path +
                                     "': " + r.error().log_detail);
        }
    }
}

core::result<void> inbox_store::put(const delivery& d) {
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    std::lock_guard lock(mutex_);
    for (const auto& agency : d.recipients) {
        if (auto put = put_one(agency, d, now); !put) {
            return put;
        }
    }
    return {};
}

core::result<void> inbox_store::put_one(const std::string& agency, const delivery& d,
                                        std::int64_t now) {
    auto s = db_.prepare(
        "INSERT OR IGNORE INTO inbox (agency, id, document_id, sender, received_ms, packet,"
        " document_signatures, document_verdicts) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (!s) {
        return std::move(s).error();
    }
    s->bind(1, agency).bind(2, d.id).bind(3, d.document_id).bind(4, d.sender);
    s->bind(5, static_cast<std::int64_t>(now)).bind(6, *d.packet);
    s->bind(7, d.document_signatures).bind(8, d.document_verdicts);
    return s->run();
}

core::result<std::vector<entry>> inbox_store::list(const std::string& agency, std::size_t limit) {
    std::lock_guard lock(mutex_);
    auto s = db_.prepare(
        "SELECT id, document_id, sender, received_ms, length(CAST(packet AS BLOB)),"
        " document_signatures, document_verdicts FROM inbox"
        " WHERE agency = ? ORDER BY received_ms, id LIMIT ?");
    if (!s) {
        return std::move(s).error();
    }
    s->bind(1, agency).bind(2, static_cast<std::int64_t>(limit));
    return s->collect([](const bus::store::statement& row) {
        return entry{row.text(0),    row.text(1), row.text(2), row.integer(3),
                     row.integer(4), row.text(5), row.text(6)};
    });
}

core::result<std::optional<std::string>> inbox_store::packet(const std::string& agency,
                                                             const std::string& id) {
    std::lock_guard lock(mutex_);
    auto s = db_.prepare("SELECT packet FROM inbox WHERE agency = ? AND id = ?");
    if (!s) {
        return std::move(s).error();
    }
    s->bind(1, agency).bind(2, id);
    auto row = s->step();
    if (!row) {
        return std::move(row).error();
    }
    return *row ? std::optional<std::string>(s->text(0)) : std::nullopt;
}

core::result<bool> inbox_store::ack(const std::string& agency, const std::string& id) {
    std::lock_guard lock(mutex_);
    auto s = db_.prepare("DELETE FROM inbox WHERE agency = ? AND id = ?");
    if (!s) {
        return std::move(s).error();
    }
    s->bind(1, agency).bind(2, id);
    if (auto r = s->run(); !r) {
        return std::move(r).error();
    }
    return db_.changes() > 0;
}

}  // namespace lienthong::bus::inbox
