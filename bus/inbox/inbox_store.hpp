#pragma once
/// The pull inbox, shared by the `inbox` adapter (which fills it) and the bus's /v1/inbox
/// endpoints (which read and ack it). The documents live in the tracking store's backend
/// (store/inbox_storage.hpp), so every bus instance of one store serves the same inboxes.
/// Every query is scoped by the agency, so one agency can never see, read or ack another's
/// documents.
///
/// Thread-safety: every method may be called from any thread (the storage serialises).
/// Errors: internal (the database failed), details in log_detail.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adapters/api/adapter.hpp"
#include "core/result.hpp"
#include "store/inbox_storage.hpp"

namespace lienthong::bus::inbox {

using adapters::delivery;

/// A waiting document as listed (without the packet).
using entry = store::inbox_entry;

class inbox_store final {
  public:
    /// `storage` must not be null.
    explicit inbox_store(std::unique_ptr<store::inbox_storage> storage)
        : storage_(std::move(storage)) {}

    /// Puts `d` in the inbox of each of d.recipients (one, on an agency's route). A redelivery of
    /// the same (recipient, id), from this instance or another, keeps the first copy.
    core::result<void> put(const delivery& d);
    /// The agency's waiting documents, oldest first, at most `limit`.
    core::result<std::vector<entry>> list(const std::string& agency, std::size_t limit) {
        return storage_->list(agency, limit);
    }
    /// The original packet bytes, or nullopt when the agency has no such document.
    core::result<std::optional<std::string>> packet(const std::string& agency,
                                                    const std::string& id) {
        return storage_->packet(agency, id);
    }
    /// Removes it; false when the agency had no such document.
    core::result<bool> ack(const std::string& agency, const std::string& id) {
        return storage_->ack(agency, id);
    }

  private:
    std::unique_ptr<store::inbox_storage> storage_;
};

}  // namespace lienthong::bus::inbox
