#pragma once
// Every metric family the bus exports, with its type and HELP text: the one place that spells a
// metric name (as message_contract.hpp is for headers). Exported at GET /metrics in the
// Prometheus text format; names follow Prometheus conventions (_total counters, _seconds).
// Renaming one breaks operators' dashboards and alerts: add, never rename.
#include "core/metrics.hpp"

namespace lienthong::core::metric {

struct family {
    const char* name;
    metrics::kind kind;
    const char* help;
};

using k = metrics::kind;

// Ingest and status intake (bus/pipeline).
inline constexpr family documents{
    "lienthong_documents_total", k::counter,
    "Posted documents by outcome (accepted, repeated, rejected) and rejection type"};
inline constexpr family statuses{"lienthong_status_total", k::counter,
                                 "Posted status packets by outcome and status code or rejection "
                                 "type"};
inline constexpr family ingest_duration{"lienthong_ingest_duration_seconds", k::histogram,
                                        "Time from request body to answer, by outcome"};
inline constexpr family envelope_signatures{
    "lienthong_envelope_signatures_total", k::counter,
    "Documents past the envelope-signature policy, by verdict (verified, absent, placeholder, "
    "not_checked) and the sender's policy"};
// The documents' own signatures (signed PDFs) at ingest (bus/pipeline/document_signatures).
inline constexpr family pdf_documents{
    "lienthong_pdf_documents_total", k::counter,
    "Attachments (zip entries) checked at ingest, by state (signed, signed-invalid, unsigned, "
    "not-pdf)"};
inline constexpr family pdf_signatures{
    "lienthong_pdf_signatures_total", k::counter,
    "PDF signatures checked at ingest, by status (valid, digest-mismatch, signature-invalid, "
    "modified, certificate-untrusted/-expired/-revoked, unsupported, malformed)"};
inline constexpr family route_published{"lienthong_route_published_total", k::counter,
                                        "Messages confirmed per route"};
// Delivery (bus/delivery).
inline constexpr family deliveries{
    "lienthong_deliveries_total", k::counter,
    "Delivery attempts per route by outcome (delivered, retryable, permanent)"};
inline constexpr family delivery_duration{"lienthong_delivery_duration_seconds", k::histogram,
                                          "Time an adapter took per delivery attempt, by route"};
inline constexpr family adapter_failures{"lienthong_adapter_failures_total", k::counter,
                                         "Failed delivery attempts per route and adapter type"};
// Operations (bus/http/handlers/operations).
inline constexpr family replays{"lienthong_replays_total", k::counter,
                                "Dead letters replayed per route"};
inline constexpr family queue_messages{"lienthong_queue_messages", k::gauge,
                                       "Ready messages per queue (at scrape time)"};
inline constexpr family queue_consumers{"lienthong_queue_consumers", k::gauge,
                                        "Consumers per queue (at scrape time)"};
inline constexpr family retired_queue_messages{
    "lienthong_retired_queue_messages", k::gauge,
    "Messages kept in the queue of a route a directory reload removed (not consumed; at scrape "
    "time)"};
inline constexpr family broker_connected{"lienthong_broker_connected", k::gauge,
                                         "1 when publisher and consumer are connected"};
inline constexpr family store_up{"lienthong_store_up", k::gauge,
                                 "1 when the tracking store answers"};

/// Describes every family above in `m` (HELP and TYPE lines even before the first sample).
/// Call once at start-up. Thread-safe as metrics::describe is.
void describe_all(metrics& m);

}  // namespace lienthong::core::metric
