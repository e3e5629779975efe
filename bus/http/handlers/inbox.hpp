#pragma once
#include <vector>

#include "http/router.hpp"
#include "inbox/inbox_store.hpp"

namespace lienthong::bus::http::handlers {

/// The pull inbox of the authenticated agency (role agency):
///   GET  /v1/inbox           200 {"documents": [{id, document_id, sender, received_ms, bytes}]},
///                            oldest first, at most 500 (ack some to see more)
///   GET  /v1/inbox/{id}      200 the original signed packet (application/xml)
///   POST /v1/inbox/{id}/ack  204; the document leaves the inbox
/// Another agency's document answers 404 `not-found`, exactly like one that does not exist, so
/// an agency cannot even learn that it exists. `store` must outlive the endpoints.
std::vector<endpoint> inbox(inbox::inbox_store& store);

}  // namespace lienthong::bus::http::handlers
