#pragma once
#include "http/router.hpp"
#include "pipeline/ingest.hpp"

namespace lienthong::bus::http::handlers {

/// POST /v1/documents: an agency submits a signed edoc packet (application/xml). Answers 202
/// with {"id", "document_id", "recipients"} once every route is confirmed by the broker; 200
/// with the original id for the same packet again; 409 for its DocumentId with other content.
endpoint submit_document(const pipeline::ingest& ingest);

}  // namespace lienthong::bus::http::handlers
