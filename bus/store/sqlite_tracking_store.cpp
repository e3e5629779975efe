#include "store/sqlite_tracking_store.hpp"

#include <chrono>
#include <stdexcept>

#include "store/sqlite_series.hpp"

namespace lienthong::bus::store {

namespace {

// Append-only: migration N brings the schema from user_version N to N+1.
const char* const migrations[] = {
    R"sql(
    CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        document_id TEXT NOT NULL,
        business_doc_type INTEGER NOT NULL,
        sender TEXT NOT NULL,
        content_sha256 TEXT NOT NULL,
        recipients TEXT NOT NULL,
        accepted INTEGER NOT NULL DEFAULT 0,
        created_ms INTEGER NOT NULL,
        UNIQUE (document_id, business_doc_type));
    CREATE TABLE events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL,
        kind TEXT NOT NULL,
        route TEXT NOT NULL,
        detail TEXT NOT NULL,
        time_ms INTEGER NOT NULL);
    CREATE INDEX events_by_id ON events (id, seq);
    CREATE TABLE deliveries (
        id TEXT NOT NULL,
        route TEXT NOT NULL,
        delivered_ms INTEGER NOT NULL,
        PRIMARY KEY (id, route));
    )sql",
    // 2: who an event concerns and its code (status code, rejection type, outcome), so journeys
    // and the dashboard need not parse `detail`; recent failures are listed by kind.
    R"sql(
    ALTER TABLE events ADD COLUMN agency TEXT NOT NULL DEFAULT '';
    ALTER TABLE events ADD COLUMN code TEXT NOT NULL DEFAULT '';
    CREATE INDEX events_by_kind ON events (kind, seq);
    )sql",
    // 3: the state of each document's signed PDF, for the signatures report (by sender, time).
    R"sql(
    ALTER TABLE documents ADD COLUMN signature_state TEXT NOT NULL DEFAULT '';
    CREATE INDEX documents_by_time ON documents (created_ms);
    )sql",
};

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) {
        out += (out.empty() ? "" : ",") + s;
    }
    return out;
}

std::vector<std::string> split(const std::string& s) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < s.size()) {
        auto comma = s.find(',', start);
        if (comma == std::string::npos) {
            comma = s.size();
        }
        out.push_back(s.substr(start, comma - start));
        start = comma + 1;
    }
    return out;
}

constexpr const char* document_columns =
    "id, document_id, business_doc_type, sender, content_sha256, recipients, accepted, created_ms, "
    "signature_state";

document_record read_document(const statement& s) {
    return {s.text(0),         s.text(1),    static_cast<int>(s.integer(2)),
            s.text(3),         s.text(4),    split(s.text(5)),
            s.integer(6) != 0, s.integer(7), s.text(8)};
}

constexpr const char* event_columns = "id, kind, route, detail, time_ms, agency, code";

core::result<std::vector<journey_event>> read_events(statement& s) {
    return s.collect([](const statement& row) {
        return journey_event{row.text(0),    row.text(1), row.text(2), row.text(3),
                             row.integer(4), row.text(5), row.text(6)};
    });
}

}  // namespace

sqlite_tracking_store::sqlite_tracking_store(const std::string& path) : db_(path) {
    auto version = db_.prepare("PRAGMA user_version");
    if (!version || !version->step()) {
        throw std::runtime_error("cannot read the schema version of '" + path + "'");
    }
    const auto current = static_cast<std::size_t>(version->integer(0));
    constexpr auto latest = std::size(migrations);
    if (current > latest) {
        throw std::runtime_error("tracking store '" + path + "' has schema version " +
                                 std::to_string(current) + ", newer than this bus (" +
                                 std::to_string(latest) + ")");
    }
    for (auto v = current; v < latest; ++v) {
        auto r = db_.exec("BEGIN; " + std::string(migrations[v]) +
                          "; PRAGMA user_version = " + std::to_string(v + 1) + "; COMMIT;");
        if (!r) {
            throw std::runtime_error("migrating tracking store '" + path + "' to version " +
                                     std::to_string(v + 1) + " failed: " + r.error().log_detail);
        }
    }
    sqlite_series::ensure_schema(db_);
}

core::result<document_record> sqlite_tracking_store::reserve(const document_record& c) {
    std::lock_guard lock(mutex_);
    auto ins = db_.prepare(
        "INSERT INTO documents (id, document_id, business_doc_type, sender, content_sha256, "
        "recipients, accepted, created_ms, signature_state) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?) "
        "ON CONFLICT (document_id, business_doc_type) DO NOTHING");
    if (!ins) {
        return std::move(ins).error();
    }
    ins->bind(1, c.id)
        .bind(2, c.document_id)
        .bind(3, std::int64_t{c.business_doc_type})
        .bind(4, c.sender)
        .bind(5, c.content_sha256)
        .bind(6, join(c.recipients))
        .bind(7, c.created_ms ? c.created_ms : now_ms())
        .bind(8, c.signature_state);
    if (auto r = ins->run(); !r) {
        return std::move(r).error();
    }
    if (db_.changes() == 1) {
        auto indexed = c;
        indexed.created_ms = c.created_ms ? c.created_ms : now_ms();
        if (auto r = sqlite_series::index_document(db_, indexed); !r) {
            return std::move(r).error();
        }
    }
    auto sel = db_.prepare(std::string("SELECT ") + document_columns +
                           " FROM documents WHERE document_id = ? AND business_doc_type = ?");
    if (!sel) {
        return std::move(sel).error();
    }
    sel->bind(1, c.document_id).bind(2, std::int64_t{c.business_doc_type});
    auto row = sel->step();
    if (!row) {
        return std::move(row).error();
    }
    return read_document(*sel);
}

core::result<void> sqlite_tracking_store::mark_accepted(const std::string& id,
                                                        const std::vector<journey_event>& events) {
    std::lock_guard lock(mutex_);
    auto tx = transaction::begin(db_);
    if (!tx) {
        return std::move(tx).error();
    }
    auto s = db_.prepare("UPDATE documents SET accepted = 1 WHERE id = ?");
    if (!s) {
        return std::move(s).error();
    }
    if (auto r = s->bind(1, id).run(); !r) {
        return r;
    }
    for (const auto& e : events) {
        if (auto r = insert_event(e); !r) {
            return r;
        }
    }
    return tx->commit();
}

core::result<std::optional<document_record>> sqlite_tracking_store::find(const std::string& id) {
    std::lock_guard lock(mutex_);
    auto s =
        db_.prepare(std::string("SELECT ") + document_columns + " FROM documents WHERE id = ?");
    if (!s) {
        return std::move(s).error();
    }
    s->bind(1, id);
    auto row = s->step();
    if (!row) {
        return std::move(row).error();
    }
    if (!*row) {
        return std::optional<document_record>{};
    }
    return std::optional<document_record>{read_document(*s)};
}

core::result<std::vector<document_record>> sqlite_tracking_store::find_by_document_id(
    const std::string& document_id) {
    std::lock_guard lock(mutex_);
    auto s = db_.prepare(std::string("SELECT ") + document_columns +
                         " FROM documents WHERE document_id = ? AND accepted = 1 "
                         "ORDER BY created_ms, business_doc_type");
    if (!s) {
        return std::move(s).error();
    }
    s->bind(1, document_id);
    return s->collect(read_document);
}

core::result<void> sqlite_tracking_store::add_event(const journey_event& e) {
    std::lock_guard lock(mutex_);
    return insert_event(e);
}

core::result<void> sqlite_tracking_store::insert_event(const journey_event& e) {
    auto s = db_.prepare(
        "INSERT INTO events (id, kind, route, detail, time_ms, agency, code) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)");
    if (!s) {
        return std::move(s).error();
    }
    auto inserted = s->bind(1, e.id)
                        .bind(2, e.kind)
                        .bind(3, e.route)
                        .bind(4, e.detail)
                        .bind(5, e.time_ms ? e.time_ms : now_ms())
                        .bind(6, e.agency)
                        .bind(7, e.code)
                        .run();
    if (!inserted) {
        return inserted;
    }
    // The history counts it, in the same transaction.
    return sqlite_series::record(db_, e, series_pruning_);
}

core::result<std::vector<journey_event>> sqlite_tracking_store::journey(const std::string& id) {
    std::lock_guard lock(mutex_);
    auto s = db_.prepare(std::string("SELECT ") + event_columns +
                         " FROM events WHERE id = ? ORDER BY seq");
    if (!s) {
        return std::move(s).error();
    }
    s->bind(1, id);
    return read_events(*s);
}

core::result<std::vector<journey_event>> sqlite_tracking_store::recent_events(
    const std::vector<std::string>& kinds, std::size_t limit) {
    std::lock_guard lock(mutex_);
    std::string in;
    for (std::size_t i = 0; i < kinds.size(); ++i) {
        in += i ? ", ?" : "?";
    }
    auto s = db_.prepare(std::string("SELECT ") + event_columns + " FROM events WHERE kind IN (" +
                         in + ") ORDER BY seq DESC LIMIT ?");
    if (!s) {
        return std::move(s).error();
    }
    int i = 1;
    for (const auto& k : kinds) {
        s->bind(i++, k);
    }
    s->bind(i, static_cast<std::int64_t>(limit));
    return read_events(*s);
}

core::result<std::vector<signature_counts>> sqlite_tracking_store::signature_report(
    std::int64_t from_ms, std::int64_t to_ms) {
    std::lock_guard lock(mutex_);
    auto s = db_.prepare(
        "SELECT sender, COUNT(*), SUM(signature_state = 'signed'), "
        "SUM(signature_state = 'signed-invalid'), SUM(signature_state = 'unsigned'), "
        "SUM(signature_state = 'not-pdf') FROM documents WHERE accepted = 1 AND "
        "signature_state <> '' AND created_ms >= ? AND created_ms < ? GROUP BY sender "
        "ORDER BY sender");
    if (!s) {
        return std::move(s).error();
    }
    s->bind(1, from_ms).bind(2, to_ms);
    return s->collect([](const statement& row) {
        return signature_counts{row.text(0),    row.integer(1), row.integer(2),
                                row.integer(3), row.integer(4), row.integer(5)};
    });
}

core::result<void> sqlite_tracking_store::ping() {
    std::lock_guard lock(mutex_);
    auto s = db_.prepare("SELECT 1");
    if (!s) {
        return std::move(s).error();
    }
    if (auto row = s->step(); !row) {
        return std::move(row).error();
    }
    return {};
}

core::result<bool> sqlite_tracking_store::mark_delivered(const std::string& id,
                                                         const std::string& route,
                                                         const journey_event& event) {
    std::lock_guard lock(mutex_);
    auto tx = transaction::begin(db_);
    if (!tx) {
        return std::move(tx).error();
    }
    auto s = db_.prepare(
        "INSERT INTO deliveries (id, route, delivered_ms) VALUES (?, ?, ?) "
        "ON CONFLICT (id, route) DO NOTHING");
    if (!s) {
        return std::move(s).error();
    }
    if (auto r = s->bind(1, id).bind(2, route).bind(3, now_ms()).run(); !r) {
        return std::move(r).error();
    }
    const bool marked = db_.changes() == 1;
    if (auto r = insert_event(event); !r) {
        return std::move(r).error();
    }
    if (auto r = tx->commit(); !r) {
        return std::move(r).error();
    }
    return marked;
}

core::result<bool> sqlite_tracking_store::is_delivered(const std::string& id,
                                                       const std::string& route) {
    std::lock_guard lock(mutex_);
    auto s = db_.prepare("SELECT 1 FROM deliveries WHERE id = ? AND route = ?");
    if (!s) {
        return std::move(s).error();
    }
    s->bind(1, id).bind(2, route);
    return s->step();
}

}  // namespace lienthong::bus::store
