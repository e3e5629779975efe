#pragma once
#include <string>
#include <vector>

#include "store/tracking_store.hpp"

namespace lienthong::bus::pipeline {

/// Where a document stands for one addressee.
struct recipient_progress {
    std::string agency;
    bool delivered = false;      ///< every route of this addressee delivered it
    bool dead_lettered = false;  ///< a route of this addressee is in the dead-letter queue
    std::string status_code;     ///< the latest status it reported, "" if none
};

/// A document's journey read as a whole: one state for the sender, and per addressee.
struct journey_summary {
    /// received (not yet confirmed by the broker), unconfirmed (published, the broker did not
    /// confirm in time: the sender got 503; accepted follows if it confirms later), accepted,
    /// delivered (every route),
    /// dead-lettered (a route gave up, not replayed since), in-progress (statuses, not all
    /// finished), rejected-by-recipient (an addressee's latest status is 02), cancelled (13 from
    /// the sender), completed (every addressee's latest status is 06 "finish").
    std::string state;
    std::vector<recipient_progress> recipients;
};

/// Derives the summary from the record and its events (oldest first). A recipient's routes
/// are the `queued` routes named "<agency>.<type>..." and, for an addressee outside the
/// directory, the national-axis route.
journey_summary summarize(const store::document_record& doc,
                          const std::vector<store::journey_event>& events);

}  // namespace lienthong::bus::pipeline
