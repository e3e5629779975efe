#include "store/sqlite_series.hpp"

#include <chrono>
#include <stdexcept>
#include <variant>

#include "core/message_contract.hpp"
#include "core/vietnamese.hpp"
#include "store/sqlite_tracking_store.hpp"

namespace lienthong::bus::store {

namespace {

constexpr const char* schema = R"sql(
    CREATE TABLE IF NOT EXISTS series (
        minute_ms INTEGER NOT NULL,
        agency TEXT NOT NULL,
        metric TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (minute_ms, agency, metric)) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS series_by_agency ON series (agency, minute_ms);
    CREATE TABLE IF NOT EXISTS document_index (
        id TEXT PRIMARY KEY,
        subject TEXT NOT NULL,
        subject_folded TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS document_recipients (
        recipient TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        id TEXT NOT NULL,
        PRIMARY KEY (recipient, created_ms, id)) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS documents_by_sender ON documents (sender, created_ms);
)sql";

using param = std::variant<std::string, std::int64_t>;

void bind_all(statement& s, const std::vector<param>& params) {
    int i = 1;
    for (const auto& p : params) {
        if (const auto* text = std::get_if<std::string>(&p)) {
            s.bind(i++, *text);
        } else {
            s.bind(i++, std::get<std::int64_t>(p));
        }
    }
}

/// The WHERE clause (and its parameters) of a document search.
std::string document_filter(const document_query& q, std::vector<param>& params) {
    std::string where = " WHERE 1 = 1";
    if (!q.document_id.empty()) {
        where += " AND d.document_id = ?";
        params.emplace_back(q.document_id);
    }
    if (!q.sender.empty()) {
        where += " AND d.sender = ?";
        params.emplace_back(q.sender);
    }
    if (!q.addressee.empty()) {
        where += " AND d.id IN (SELECT id FROM document_recipients WHERE recipient = ?)";
        params.emplace_back(q.addressee);
    }
    for (const auto& w : q.subject_words) {
        where += " AND x.subject_folded LIKE ? ESCAPE '\\'";
        params.emplace_back(contains_pattern(w));
    }
    if (q.from_ms > 0) {
        where += " AND d.created_ms >= ?";
        params.emplace_back(q.from_ms);
    }
    if (q.to_ms > 0) {
        where += " AND d.created_ms < ?";
        params.emplace_back(q.to_ms);
    }
    return where;
}

}  // namespace

namespace sqlite_series {

void ensure_schema(sqlite_db& db) {
    if (auto r = db.exec(schema); !r) {
        throw std::runtime_error("creating the series tables of the tracking store failed: " +
                                 r.error().log_detail);
    }
}

core::result<void> record(sqlite_db& db, const journey_event& e, series_pruning& pruning) {
    const auto time = e.time_ms ? e.time_ms : now_ms();
    std::string agency = e.agency;
    std::int64_t created = 0;
    if (e.kind == core::event::accepted || e.kind == core::event::delivered) {
        auto doc = db.prepare("SELECT sender, created_ms FROM documents WHERE id = ?");
        if (!doc) {
            return std::move(doc).error();
        }
        doc->bind(1, e.id);
        auto row = doc->step();
        if (!row) {
            return std::move(row).error();
        }
        if (*row) {
            agency = e.kind == core::event::accepted && agency.empty() ? doc->text(0) : agency;
            created = doc->integer(1);
        }
    }
    for (const auto& inc : series_increments(e.kind, e.code, agency, time, created)) {
        auto s = db.prepare(
            "INSERT INTO series (minute_ms, agency, metric, n) VALUES (?, ?, ?, 1) "
            "ON CONFLICT (minute_ms, agency, metric) DO UPDATE SET n = n + 1");
        if (!s) {
            return std::move(s).error();
        }
        if (auto r = s->bind(1, inc.minute).bind(2, inc.agency).bind(3, inc.metric).run(); !r) {
            return r;
        }
    }
    if (pruning.due(time)) {
        auto prune = db.prepare("DELETE FROM series WHERE minute_ms < ?");
        if (!prune) {
            return std::move(prune).error();
        }
        if (auto r = prune->bind(1, time - series_retention_ms).run(); !r) {
            return r;
        }
        pruning.done(time);
    }
    return {};
}

core::result<void> index_document(sqlite_db& db, const document_record& d) {
    auto s = db.prepare(
        "INSERT INTO document_index (id, subject, subject_folded) VALUES (?, ?, ?) "
        "ON CONFLICT (id) DO NOTHING");
    if (!s) {
        return std::move(s).error();
    }
    if (auto r =
            s->bind(1, d.id).bind(2, d.subject).bind(3, core::fold_vietnamese(d.subject)).run();
        !r) {
        return r;
    }
    for (const auto& to : d.recipients) {
        auto r = db.prepare(
            "INSERT INTO document_recipients (recipient, created_ms, id) VALUES (?, ?, ?) "
            "ON CONFLICT DO NOTHING");
        if (!r) {
            return std::move(r).error();
        }
        if (auto done = r->bind(1, to).bind(2, d.created_ms).bind(3, d.id).run(); !done) {
            return done;
        }
    }
    return {};
}

}  // namespace sqlite_series

core::result<std::vector<series_count>> sqlite_tracking_store::series(const series_query& q) {
    std::lock_guard lock(mutex_);
    auto s = db_.prepare(std::string("SELECT (minute_ms - ?) / ?, metric, SUM(n) FROM series "
                                     "WHERE minute_ms >= ? AND minute_ms < ?") +
                         (q.agency.empty() ? "" : " AND agency = ?") + " GROUP BY 1, 2");
    if (!s) {
        return std::move(s).error();
    }
    s->bind(1, q.from_ms).bind(2, q.step_ms).bind(3, q.from_ms).bind(4, q.to_ms);
    if (!q.agency.empty()) {
        s->bind(5, q.agency);
    }
    return s->collect([](const statement& row) {
        return series_count{row.integer(0), {}, row.text(1), row.integer(2)};
    });
}

core::result<std::vector<series_count>> sqlite_tracking_store::series_by_agency(
    std::int64_t from_ms, std::int64_t to_ms) {
    std::lock_guard lock(mutex_);
    auto s = db_.prepare(
        "SELECT agency, metric, SUM(n) FROM series WHERE minute_ms >= ? AND minute_ms < ? "
        "AND metric NOT LIKE 'latency:%' GROUP BY agency, metric");
    if (!s) {
        return std::move(s).error();
    }
    s->bind(1, from_ms).bind(2, to_ms);
    return s->collect([](const statement& row) {
        return series_count{0, row.text(0), row.text(1), row.integer(2)};
    });
}

core::result<document_page> sqlite_tracking_store::search_documents(const document_query& q) {
    std::lock_guard lock(mutex_);
    std::vector<param> params;
    const auto from = std::string(" FROM documents d LEFT JOIN document_index x ON x.id = d.id") +
                      document_filter(q, params);
    auto count = db_.prepare("SELECT COUNT(*)" + from);
    if (!count) {
        return std::move(count).error();
    }
    bind_all(*count, params);
    if (auto row = count->step(); !row) {
        return std::move(row).error();
    }
    document_page page{count->integer(0), {}};
    auto s = db_.prepare(
        "SELECT d.id, d.document_id, d.business_doc_type, d.sender, d.content_sha256, "
        "d.recipients, d.accepted, d.created_ms, d.signature_state, COALESCE(x.subject, '')" +
        from + " ORDER BY d.created_ms DESC, d.id LIMIT ? OFFSET ?");
    if (!s) {
        return std::move(s).error();
    }
    params.emplace_back(static_cast<std::int64_t>(q.limit));
    params.emplace_back(static_cast<std::int64_t>(q.offset));
    bind_all(*s, params);
    auto rows = s->collect([](const statement& row) {
        document_record d{row.text(0),         row.text(1),    static_cast<int>(row.integer(2)),
                          row.text(3),         row.text(4),    {},
                          row.integer(6) != 0, row.integer(7), row.text(8)};
        d.recipients = core::split_recipients(row.text(5));
        d.subject = row.text(9);
        return d;
    });
    if (!rows) {
        return std::move(rows).error();
    }
    page.documents = std::move(*rows);
    return page;
}

}  // namespace lienthong::bus::store
