#pragma once
// The operators' console's own endpoints (issue 18): the agency tree, the history series and
// the document search. All admin-only, paged and bounded, described in schemas/openapi.yaml.
#include "http/handlers/operations.hpp"
#include "http/router.hpp"
#include "routing/directory.hpp"

namespace lienthong::bus::http::handlers {

/// GET /v1/admin/agencies[?q=|codes=|parent=][&offset=N&limit=N]: agencies with name, level,
/// parent, own state and the worst state of their subtree (ok | backlog | no_consumer |
/// dead_letters | failing) and their subtree's figures, worst first (agency_tree.hpp). Queue
/// depths are sampled at most every 5 s; limit default 50, at most 200. `directory` is read at
/// each call (reloads show at once).
endpoint admin_agencies(const operations& ops, const routing::directory& directory);

/// GET /v1/admin/series?range=hour|week[&agency=CODE]: per metric (accepted, delivered,
/// dead_lettered, failed_attempt, rejected:<type>) the counts per minute over the last hour
/// (60 buckets) or per hour over the last week (168), province-wide or for one agency; and the
/// delivery latency percentiles (p50, p90, p99, ms, bucket upper bounds) of the window.
/// 400 invalid-request naming `range`; 404 naming `agency` for a code not in the directory.
endpoint admin_series(const operations& ops, const routing::directory& directory);

/// GET /v1/admin/documents?[document_id=&sender=&addressee=&subject=&from_ms=&to_ms=]
/// [&offset=N&limit=N]: documents newest first with their subjects and recipients and the
/// number matching; limit default 50, at most 200; subject words match without diacritics.
endpoint admin_document_search(const operations& ops);

}  // namespace lienthong::bus::http::handlers
