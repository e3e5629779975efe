#pragma once
// The SQLite half of series.hpp: its tables (created if missing, beside the numbered
// migrations, so that this and other additions to the store merge without renumbering), the
// upserts journey events make, and the document index. Callers hold the store's mutex.
#include "store/series.hpp"
#include "store/sqlite.hpp"
#include "store/tracking_store.hpp"

namespace lienthong::bus::store::sqlite_series {

/// Creates the series and document-index tables and indexes if missing. Throws
/// std::runtime_error (start-up only).
void ensure_schema(sqlite_db& db);

/// Adds what `e` counts (series_increments) in the caller's transaction, if any, and prunes old
/// counts when `pruning` says it is due.
core::result<void> record(sqlite_db& db, const journey_event& e, series_pruning& pruning);

/// Indexes a newly reserved document: its folded subject and its recipients.
core::result<void> index_document(sqlite_db& db, const document_record& d);

}  // namespace lienthong::bus::store::sqlite_series
