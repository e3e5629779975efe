#include "core/metric_families.hpp"

namespace lienthong::core::metric {

void describe_all(metrics& m) {
    for (const auto& f :
         {documents, statuses, ingest_duration, envelope_signatures, pdf_documents, pdf_signatures,
          route_published, deliveries, delivery_duration, adapter_failures, replays, queue_messages,
          queue_consumers, retired_queue_messages, broker_connected, store_up}) {
        m.describe(f.name, f.kind, f.help);
    }
}

}  // namespace lienthong::core::metric
