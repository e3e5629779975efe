// The PostgreSQL half of series.hpp: the same tables and queries as sqlite_series.cpp. Every
// instance adds its counts with an upsert, so the series of several instances add up.
#include <chrono>
#include <stdexcept>

#include "core/message_contract.hpp"
#include "core/vietnamese.hpp"
#include "store/postgresql_tracking_store.hpp"

namespace lienthong::bus::store {

namespace {

constexpr const char* schema[] = {
    "CREATE TABLE IF NOT EXISTS series (minute_ms BIGINT NOT NULL, agency TEXT NOT NULL, "
    "metric TEXT NOT NULL, n BIGINT NOT NULL, PRIMARY KEY (minute_ms, agency, metric))",
    "CREATE INDEX IF NOT EXISTS series_by_agency ON series (agency, minute_ms)",
    "CREATE TABLE IF NOT EXISTS document_index (id TEXT PRIMARY KEY, subject TEXT NOT NULL, "
    "subject_folded TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS document_recipients (recipient TEXT NOT NULL, created_ms BIGINT "
    "NOT NULL, id TEXT NOT NULL, PRIMARY KEY (recipient, created_ms, id))",
    "CREATE INDEX IF NOT EXISTS documents_by_sender ON documents (sender, created_ms)",
};

std::int64_t integer_at(const PGresult* r, int row, int col) {
    return std::stoll(PQgetvalue(r, row, col));
}

std::string document_filter(const document_query& q, std::vector<std::string>& params) {
    std::string where = " WHERE TRUE";
    auto add = [&](const std::string& clause, std::string value) {
        params.push_back(std::move(value));
        where += " AND " + clause + "$" + std::to_string(params.size());
    };
    if (!q.document_id.empty()) {
        add("d.document_id = ", q.document_id);
    }
    if (!q.sender.empty()) {
        add("d.sender = ", q.sender);
    }
    if (!q.addressee.empty()) {
        params.push_back(q.addressee);
        where += " AND d.id IN (SELECT id FROM document_recipients WHERE recipient = $" +
                 std::to_string(params.size()) + ")";
    }
    for (const auto& w : q.subject_words) {
        add("x.subject_folded LIKE ", contains_pattern(w));
    }
    if (q.from_ms > 0) {
        add("d.created_ms >= ", std::to_string(q.from_ms));
    }
    if (q.to_ms > 0) {
        add("d.created_ms < ", std::to_string(q.to_ms));
    }
    return where;
}

}  // namespace

void postgresql_tracking_store::ensure_series_schema() {  // the constructor holds mutex_
    // Under the migration lock: CREATE ... IF NOT EXISTS races between instances otherwise.
    for (const char* sql : {"BEGIN", "SELECT pg_advisory_xact_lock(7402510266)"}) {
        if (auto r = query(sql); !r) {
            throw std::runtime_error("creating the series tables: " + r.error().log_detail);
        }
    }
    for (const char* sql : schema) {
        if (auto r = query(sql); !r) {
            (void)query("ROLLBACK");
            throw std::runtime_error("creating the series tables: " + r.error().log_detail);
        }
    }
    if (auto r = query("COMMIT"); !r) {
        throw std::runtime_error("creating the series tables: " + r.error().log_detail);
    }
}

core::result<void> postgresql_tracking_store::record_series(const journey_event& e) {
    const auto time = e.time_ms ? e.time_ms : now_ms();
    std::string agency = e.agency;
    std::int64_t created = 0;
    if (e.kind == core::event::accepted || e.kind == core::event::delivered) {
        auto doc = query("SELECT sender, created_ms FROM documents WHERE id = $1", {e.id});
        if (!doc) {
            return std::move(doc).error();
        }
        if (PQntuples(doc->get()) > 0) {
            agency = e.kind == core::event::accepted && agency.empty()
                         ? std::string(PQgetvalue(doc->get(), 0, 0))
                         : agency;
            created = integer_at(doc->get(), 0, 1);
        }
    }
    for (const auto& inc : series_increments(e.kind, e.code, agency, time, created)) {
        auto r = query(
            "INSERT INTO series (minute_ms, agency, metric, n) VALUES ($1, $2, $3, 1) "
            "ON CONFLICT (minute_ms, agency, metric) DO UPDATE SET n = series.n + 1",
            {std::to_string(inc.minute), inc.agency, inc.metric});
        if (!r) {
            return std::move(r).error();
        }
    }
    if (series_pruning_.due(time)) {
        if (auto r = query("DELETE FROM series WHERE minute_ms < $1",
                           {std::to_string(time - series_retention_ms)});
            !r) {
            return std::move(r).error();
        }
        series_pruning_.done(time);
    }
    return {};
}

core::result<void> postgresql_tracking_store::index_document(const document_record& d) {
    auto r = query(
        "INSERT INTO document_index (id, subject, subject_folded) VALUES ($1, $2, $3) "
        "ON CONFLICT (id) DO NOTHING",
        {d.id, d.subject, core::fold_vietnamese(d.subject)});
    if (!r) {
        return std::move(r).error();
    }
    for (const auto& to : d.recipients) {
        auto added = query(
            "INSERT INTO document_recipients (recipient, created_ms, id) VALUES ($1, $2, $3) "
            "ON CONFLICT DO NOTHING",
            {to, std::to_string(d.created_ms), d.id});
        if (!added) {
            return std::move(added).error();
        }
    }
    return {};
}

core::result<std::vector<series_count>> postgresql_tracking_store::series(const series_query& q) {
    std::lock_guard lock(mutex_);
    std::vector<std::string> params{std::to_string(q.from_ms), std::to_string(q.step_ms),
                                    std::to_string(q.to_ms)};
    std::string sql =
        "SELECT (minute_ms - $1::BIGINT) / $2::BIGINT, metric, SUM(n) FROM series "
        "WHERE minute_ms >= $1::BIGINT AND minute_ms < $3::BIGINT";
    if (!q.agency.empty()) {
        params.push_back(q.agency);
        sql += " AND agency = $4";
    }
    auto r = query(sql + " GROUP BY 1, 2", params);
    if (!r) {
        return std::move(r).error();
    }
    std::vector<series_count> out;
    for (int i = 0; i < PQntuples(r->get()); ++i) {
        out.push_back({integer_at(r->get(), i, 0),
                       {},
                       PQgetvalue(r->get(), i, 1),
                       integer_at(r->get(), i, 2)});
    }
    return out;
}

core::result<std::vector<series_count>> postgresql_tracking_store::series_by_agency(
    std::int64_t from_ms, std::int64_t to_ms) {
    std::lock_guard lock(mutex_);
    auto r = query(
        "SELECT agency, metric, SUM(n) FROM series WHERE minute_ms >= $1 AND minute_ms < $2 "
        "AND metric NOT LIKE 'latency:%' GROUP BY agency, metric",
        {std::to_string(from_ms), std::to_string(to_ms)});
    if (!r) {
        return std::move(r).error();
    }
    std::vector<series_count> out;
    for (int i = 0; i < PQntuples(r->get()); ++i) {
        out.push_back({0, PQgetvalue(r->get(), i, 0), PQgetvalue(r->get(), i, 1),
                       integer_at(r->get(), i, 2)});
    }
    return out;
}

core::result<document_page> postgresql_tracking_store::search_documents(const document_query& q) {
    std::lock_guard lock(mutex_);
    std::vector<std::string> params;
    const auto from = std::string(" FROM documents d LEFT JOIN document_index x ON x.id = d.id") +
                      document_filter(q, params);
    auto count = query("SELECT COUNT(*)" + from, params);
    if (!count) {
        return std::move(count).error();
    }
    document_page page{integer_at(count->get(), 0, 0), {}};
    params.push_back(std::to_string(q.limit));
    params.push_back(std::to_string(q.offset));
    const auto n = params.size();
    auto r = query(
        "SELECT d.id, d.document_id, d.business_doc_type, d.sender, d.content_sha256, "
        "d.recipients, d.accepted, d.created_ms, d.signature_state, COALESCE(x.subject, '')" +
            from + " ORDER BY d.created_ms DESC, d.id LIMIT $" + std::to_string(n - 1) +
            " OFFSET $" + std::to_string(n),
        params);
    if (!r) {
        return std::move(r).error();
    }
    for (int i = 0; i < PQntuples(r->get()); ++i) {
        const auto* g = r->get();
        document_record d{PQgetvalue(g, i, 0),
                          PQgetvalue(g, i, 1),
                          static_cast<int>(integer_at(g, i, 2)),
                          PQgetvalue(g, i, 3),
                          PQgetvalue(g, i, 4),
                          core::split_recipients(PQgetvalue(g, i, 5)),
                          std::string(PQgetvalue(g, i, 6)) == "t",
                          integer_at(g, i, 7),
                          PQgetvalue(g, i, 8)};
        d.subject = PQgetvalue(g, i, 9);
        page.documents.push_back(std::move(d));
    }
    return page;
}

}  // namespace lienthong::bus::store
