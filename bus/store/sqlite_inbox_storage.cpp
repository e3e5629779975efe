#include "store/sqlite_inbox_storage.hpp"

#include <stdexcept>

namespace lienthong::bus::store {

sqlite_inbox_storage::sqlite_inbox_storage(const std::string& path) : db_(path) {
    if (auto r = db_.exec("CREATE TABLE IF NOT EXISTS inbox ("
                          " agency TEXT NOT NULL, id TEXT NOT NULL, document_id TEXT NOT NULL,"
                          " sender TEXT NOT NULL, received_ms INTEGER NOT NULL,"
                          " packet BLOB NOT NULL, document_signatures TEXT NOT NULL DEFAULT '',"
                          " document_verdicts TEXT NOT NULL DEFAULT '', PRIMARY KEY (agency, id))");
        !r) {
        throw std::runtime_error("cannot create the inbox table in '" + path +
                                 "': " + r.error().log_detail);
    }
}

core::result<void> sqlite_inbox_storage::put(const std::string& agency, const inbox_entry& e,
                                             const std::string& packet) {
    std::lock_guard lock(mutex_);
    auto s = db_.prepare(
        "INSERT OR IGNORE INTO inbox (agency, id, document_id, sender, received_ms, packet,"
        " document_signatures, document_verdicts) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (!s) {
        return std::move(s).error();
    }
    s->bind(1, agency).bind(2, e.id).bind(3, e.document_id).bind(4, e.sender);
    s->bind(5, e.received_ms).bind(6, packet);
    s->bind(7, e.document_signatures).bind(8, e.document_verdicts);
    return s->run();
}

core::result<std::vector<inbox_entry>> sqlite_inbox_storage::list(const std::string& agency,
                                                                  std::size_t limit) {
    std::lock_guard lock(mutex_);
    auto s = db_.prepare(
        "SELECT id, document_id, sender, received_ms, length(CAST(packet AS BLOB)),"
        " document_signatures, document_verdicts FROM inbox"
        " WHERE agency = ? ORDER BY received_ms, id LIMIT ?");
    if (!s) {
        return std::move(s).error();
    }
    s->bind(1, agency).bind(2, static_cast<std::int64_t>(limit));
    return s->collect([](const statement& row) {
        return inbox_entry{row.text(0),    row.text(1), row.text(2), row.integer(3),
                           row.integer(4), row.text(5), row.text(6)};
    });
}

core::result<std::optional<std::string>> sqlite_inbox_storage::packet(const std::string& agency,
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

core::result<bool> sqlite_inbox_storage::ack(const std::string& agency, const std::string& id) {
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

}  // namespace lienthong::bus::store
