#pragma once
#include <mutex>
#include <string>

#include "store/sqlite.hpp"
#include "store/tracking_store.hpp"

namespace lienthong::bus::store {

/// The tracking store in one SQLite file (WAL). Migrations run at construction. One connection
/// behind a mutex: writes are small and SQLite serialises writers anyway.
class sqlite_tracking_store final : public tracking_store {
  public:
    /// Throws std::runtime_error naming the path if it cannot be opened or migrated.
    explicit sqlite_tracking_store(const std::string& path);

    core::result<document_record> reserve(const document_record& candidate) override;
    core::result<void> mark_accepted(const std::string& id,
                                     const std::vector<journey_event>& events) override;
    core::result<std::optional<document_record>> find(const std::string& id) override;
    core::result<std::vector<document_record>> find_by_document_id(
        const std::string& document_id) override;
    core::result<void> add_event(const journey_event& e) override;
    core::result<std::vector<journey_event>> journey(const std::string& id) override;
    core::result<std::vector<journey_event>> recent_events(const std::vector<std::string>& kinds,
                                                           std::size_t limit) override;
    core::result<std::vector<signature_counts>> signature_report(std::int64_t from_ms,
                                                                 std::int64_t to_ms) override;
    core::result<void> ping() override;
    core::result<bool> mark_delivered(const std::string& id, const std::string& route,
                                      const journey_event& event) override;
    core::result<bool> is_delivered(const std::string& id, const std::string& route) override;
    // History and document search: sqlite_series.cpp.
    core::result<std::vector<series_count>> series(const series_query& q) override;
    core::result<std::vector<series_count>> series_by_agency(std::int64_t from_ms,
                                                             std::int64_t to_ms) override;
    core::result<document_page> search_documents(const document_query& q) override;

  private:
    core::result<void> insert_event(const journey_event& e);  // caller holds mutex_

    std::mutex mutex_;
    sqlite_db db_;
    series_pruning series_pruning_;
};

}  // namespace lienthong::bus::store
