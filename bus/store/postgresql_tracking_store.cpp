#include "store/postgresql_tracking_store.hpp"

#include <chrono>
#include <stdexcept>

namespace lienthong::bus::store {

namespace {

// Append-only, numbered like the SQLite migrations: entry N brings the schema from version N to
// N+1.
const char* const migrations[] = {
    R"sql(
    CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        document_id TEXT NOT NULL,
        business_doc_type INTEGER NOT NULL,
        sender TEXT NOT NULL,
        content_sha256 TEXT NOT NULL,
        recipients TEXT NOT NULL,
        accepted BOOLEAN NOT NULL DEFAULT FALSE,
        created_ms BIGINT NOT NULL,
        UNIQUE (document_id, business_doc_type));
    CREATE TABLE events (
        seq BIGSERIAL PRIMARY KEY,
        id TEXT NOT NULL,
        kind TEXT NOT NULL,
        route TEXT NOT NULL,
        detail TEXT NOT NULL,
        time_ms BIGINT NOT NULL);
    CREATE INDEX events_by_id ON events (id, seq);
    CREATE TABLE deliveries (
        id TEXT NOT NULL,
        route TEXT NOT NULL,
        delivered_ms BIGINT NOT NULL,
        PRIMARY KEY (id, route));
    )sql",
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

// Any number; identifies our migration lock among other advisory locks of the database.
constexpr const char* migration_lock = "SELECT pg_advisory_xact_lock(7402510266)";

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

core::failure store_failure(std::string detail) {
    auto f = core::fail(core::errc::internal, "the tracking store is unavailable");
    f.log_detail = "postgresql: " + std::move(detail);
    return f;
}

std::string text(const PGresult* r, int row, int col) {
    return PQgetvalue(r, row, col);  // never null for a valid row/column ("" for NULL)
}

std::int64_t integer(const PGresult* r, int row, int col) { return std::stoll(text(r, row, col)); }

constexpr const char* document_columns =
    "id, document_id, business_doc_type, sender, content_sha256, recipients, accepted, created_ms, "
    "signature_state";
constexpr const char* event_columns = "id, kind, route, detail, time_ms, agency, code";

std::vector<document_record> read_documents(const PGresult* r) {
    std::vector<document_record> out;
    for (int i = 0; i < PQntuples(r); ++i) {
        out.push_back({text(r, i, 0), text(r, i, 1), static_cast<int>(integer(r, i, 2)),
                       text(r, i, 3), text(r, i, 4), split(text(r, i, 5)), text(r, i, 6) == "t",
                       integer(r, i, 7), text(r, i, 8)});
    }
    return out;
}

std::vector<journey_event> read_events(const PGresult* r) {
    std::vector<journey_event> out;
    for (int i = 0; i < PQntuples(r); ++i) {
        out.push_back({text(r, i, 0), text(r, i, 1), text(r, i, 2), text(r, i, 3), integer(r, i, 4),
                       text(r, i, 5), text(r, i, 6)});
    }
    return out;
}

}  // namespace

postgresql_tracking_store::postgresql_tracking_store(const std::string& url)
    : conn_(url, "the PostgreSQL tracking store") {
    std::lock_guard lock(mutex_);
    auto fail = [this](const std::string& what, const core::failure& f) {
        (void)query("ROLLBACK");
        return std::runtime_error("migrating the PostgreSQL tracking store: " + what + ": " +
                                  f.log_detail);
    };
    if (auto r = query("BEGIN"); !r) {
        throw fail("BEGIN", r.error());
    }
    for (const char* sql :
         {migration_lock, "CREATE TABLE IF NOT EXISTS lienthong_schema (version INTEGER NOT NULL)",
          "INSERT INTO lienthong_schema SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM "
          "lienthong_schema)"}) {
        if (auto r = query(sql); !r) {
            throw fail(sql, r.error());
        }
    }
    auto version = query("SELECT version FROM lienthong_schema");
    if (!version) {
        throw fail("reading the schema version", version.error());
    }
    const auto current = static_cast<std::size_t>(integer(version->get(), 0, 0));
    constexpr auto latest = std::size(migrations);
    if (current > latest) {
        (void)query("ROLLBACK");
        throw std::runtime_error("the PostgreSQL tracking store has schema version " +
                                 std::to_string(current) + ", newer than this bus (" +
                                 std::to_string(latest) + ")");
    }
    for (auto v = current; v < latest; ++v) {
        if (auto r = query(migrations[v]); !r) {
            throw fail("migration " + std::to_string(v + 1), r.error());
        }
    }
    if (auto r = query("UPDATE lienthong_schema SET version = $1", {std::to_string(latest)}); !r) {
        throw fail("recording the schema version", r.error());
    }
    if (auto r = query("COMMIT"); !r) {
        throw fail("COMMIT", r.error());
    }
    ensure_series_schema();
}

core::result<pg_result_ptr> postgresql_tracking_store::query(
    const std::string& sql, const std::vector<std::string>& params) {
    return conn_.query(sql, params);
}

core::result<document_record> postgresql_tracking_store::reserve(const document_record& c) {
    std::lock_guard lock(mutex_);
    auto ins = query(
        "INSERT INTO documents (id, document_id, business_doc_type, sender, content_sha256, "
        "recipients, accepted, created_ms, signature_state) "
        "VALUES ($1, $2, $3, $4, $5, $6, FALSE, $7, $8) "
        "ON CONFLICT (document_id, business_doc_type) DO NOTHING",
        {c.id, c.document_id, std::to_string(c.business_doc_type), c.sender, c.content_sha256,
         join(c.recipients), std::to_string(c.created_ms ? c.created_ms : now_ms()),
         c.signature_state});
    if (!ins) {
        return std::move(ins).error();
    }
    if (std::string(PQcmdTuples(ins->get())) == "1") {
        auto indexed = c;
        indexed.created_ms = c.created_ms ? c.created_ms : now_ms();
        if (auto r = index_document(indexed); !r) {
            return std::move(r).error();
        }
    }
    auto sel = query(std::string("SELECT ") + document_columns +
                         " FROM documents WHERE document_id = $1 AND business_doc_type = $2",
                     {c.document_id, std::to_string(c.business_doc_type)});
    if (!sel) {
        return std::move(sel).error();
    }
    auto docs = read_documents(sel->get());
    if (docs.empty()) {
        return store_failure("reserved row vanished for " + c.document_id);
    }
    return docs.front();
}

// Statement by statement rather than in a transaction: query() retries once after a reset
// connection, which must never happen half-way through a BEGIN .. COMMIT.
core::result<void> postgresql_tracking_store::mark_accepted(
    const std::string& id, const std::vector<journey_event>& events) {
    std::lock_guard lock(mutex_);
    auto r = query("UPDATE documents SET accepted = TRUE WHERE id = $1", {id});
    if (!r) {
        return std::move(r).error();
    }
    for (const auto& e : events) {
        if (auto added = insert_event(e); !added) {
            return added;
        }
    }
    return {};
}

core::result<std::optional<document_record>> postgresql_tracking_store::find(
    const std::string& id) {
    std::lock_guard lock(mutex_);
    auto r =
        query(std::string("SELECT ") + document_columns + " FROM documents WHERE id = $1", {id});
    if (!r) {
        return std::move(r).error();
    }
    auto docs = read_documents(r->get());
    if (docs.empty()) {
        return std::optional<document_record>{};
    }
    return std::optional<document_record>{std::move(docs.front())};
}

core::result<std::vector<document_record>> postgresql_tracking_store::find_by_document_id(
    const std::string& document_id) {
    std::lock_guard lock(mutex_);
    auto r = query(std::string("SELECT ") + document_columns +
                       " FROM documents WHERE document_id = $1 AND accepted "
                       "ORDER BY created_ms, business_doc_type",
                   {document_id});
    if (!r) {
        return std::move(r).error();
    }
    return read_documents(r->get());
}

core::result<void> postgresql_tracking_store::add_event(const journey_event& e) {
    std::lock_guard lock(mutex_);
    return insert_event(e);
}

core::result<void> postgresql_tracking_store::insert_event(const journey_event& e) {
    auto r = query(
        "INSERT INTO events (id, kind, route, detail, time_ms, agency, code) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7)",
        {e.id, e.kind, e.route, e.detail, std::to_string(e.time_ms ? e.time_ms : now_ms()),
         e.agency, e.code});
    if (!r) {
        return std::move(r).error();
    }
    return record_series(e);  // the history counts it
}

core::result<std::vector<journey_event>> postgresql_tracking_store::journey(const std::string& id) {
    std::lock_guard lock(mutex_);
    auto r = query(
        std::string("SELECT ") + event_columns + " FROM events WHERE id = $1 ORDER BY seq", {id});
    if (!r) {
        return std::move(r).error();
    }
    return read_events(r->get());
}

core::result<std::vector<journey_event>> postgresql_tracking_store::recent_events(
    const std::vector<std::string>& kinds, std::size_t limit) {
    std::lock_guard lock(mutex_);
    // One text[] parameter: '{a,b}' (kinds are fixed words, never quoted values).
    auto r = query(std::string("SELECT ") + event_columns +
                       " FROM events WHERE kind = ANY($1::text[]) ORDER BY seq DESC LIMIT $2",
                   {"{" + join(kinds) + "}", std::to_string(limit)});
    if (!r) {
        return std::move(r).error();
    }
    return read_events(r->get());
}

core::result<std::vector<signature_counts>> postgresql_tracking_store::signature_report(
    std::int64_t from_ms, std::int64_t to_ms) {
    std::lock_guard lock(mutex_);
    auto r = query(
        "SELECT sender, COUNT(*), COUNT(*) FILTER (WHERE signature_state = 'signed'), "
        "COUNT(*) FILTER (WHERE signature_state = 'signed-invalid'), "
        "COUNT(*) FILTER (WHERE signature_state = 'unsigned'), "
        "COUNT(*) FILTER (WHERE signature_state = 'not-pdf') FROM documents WHERE accepted AND "
        "signature_state <> '' AND created_ms >= $1 AND created_ms < $2 GROUP BY sender "
        "ORDER BY sender",
        {std::to_string(from_ms), std::to_string(to_ms)});
    if (!r) {
        return std::move(r).error();
    }
    std::vector<signature_counts> out;
    const PGresult* res = r->get();
    for (int i = 0; i < PQntuples(res); ++i) {
        out.push_back({text(res, i, 0), integer(res, i, 1), integer(res, i, 2), integer(res, i, 3),
                       integer(res, i, 4), integer(res, i, 5)});
    }
    return out;
}

core::result<void> postgresql_tracking_store::ping() {
    std::lock_guard lock(mutex_);
    auto r = query("SELECT 1");
    if (!r) {
        return std::move(r).error();
    }
    return {};
}

core::result<bool> postgresql_tracking_store::mark_delivered(const std::string& id,
                                                             const std::string& route,
                                                             const journey_event& event) {
    std::lock_guard lock(mutex_);
    auto r = query(
        "INSERT INTO deliveries (id, route, delivered_ms) VALUES ($1, $2, $3) "
        "ON CONFLICT (id, route) DO NOTHING",
        {id, route, std::to_string(now_ms())});
    if (!r) {
        return std::move(r).error();
    }
    const bool marked = std::string(PQcmdTuples(r->get())) == "1";
    if (auto added = insert_event(event); !added) {
        return std::move(added).error();
    }
    return marked;
}

core::result<bool> postgresql_tracking_store::is_delivered(const std::string& id,
                                                           const std::string& route) {
    std::lock_guard lock(mutex_);
    auto r = query("SELECT 1 FROM deliveries WHERE id = $1 AND route = $2", {id, route});
    if (!r) {
        return std::move(r).error();
    }
    return PQntuples(r->get()) > 0;
}

}  // namespace lienthong::bus::store
