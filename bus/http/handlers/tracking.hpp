#pragma once
#include "http/router.hpp"
#include "pipeline/status_intake.hpp"
#include "store/tracking_store.hpp"

namespace lienthong::bus::http::handlers {

/// GET /v1/documents/{id}: the journey of a document — its record, a summary state
/// (pipeline::summarize) with per-addressee progress, and every event. Visible to the sender and
/// the addressees only (403 otherwise, 404 for an unknown id).
endpoint document_journey(store::tracking_store& store);

/// GET /v1/admin/documents/{id}: the same for operators; {id} may also be an edXML DocumentId.
endpoint admin_document_journey(store::tracking_store& store);

/// POST /v1/status: an agency posts a status packet (application/xml) about a document it
/// received (or, 13, about one it sent). 202 {"id", "document", "status_code", "recipients"};
/// 404 unknown original; 403 not an addressee; the ingest's 400/403/503 otherwise.
endpoint submit_status(const pipeline::status_intake& intake);

}  // namespace lienthong::bus::http::handlers
