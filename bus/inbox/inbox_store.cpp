#include "inbox/inbox_store.hpp"

#include <chrono>

namespace lienthong::bus::inbox {

core::result<void> inbox_store::put(const delivery& d) {
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    const entry e{d.id, d.document_id,         d.sender,           static_cast<std::int64_t>(now),
                  0,    d.document_signatures, d.document_verdicts};
    // Not one transaction: a failure part way is retried whole, and each put is exactly once.
    for (const auto& agency : d.recipients) {
        if (auto put = storage_->put(agency, e, *d.packet); !put) {
            return put;
        }
    }
    return {};
}

}  // namespace lienthong::bus::inbox
