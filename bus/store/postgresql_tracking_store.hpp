#pragma once
#include <mutex>
#include <string>
#include <vector>

#include "store/postgresql_connection.hpp"
#include "store/tracking_store.hpp"

namespace lienthong::bus::store {

/// The tracking store in PostgreSQL (libpq), for several bus instances sharing one store.
/// Migrations run at construction under an advisory lock, so instances starting together apply
/// each migration once. One connection behind a mutex; a broken connection is reset and the
/// statement retried once (every statement is idempotent or runs in its own transaction).
class postgresql_tracking_store final : public tracking_store {
  public:
    /// `url`: a libpq connection string or URI (postgresql://user@host:port/db). Throws
    /// std::runtime_error (without the password) if it cannot connect or migrate.
    explicit postgresql_tracking_store(const std::string& url);

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
    // History and document search: postgresql_series.cpp.
    core::result<std::vector<series_count>> series(const series_query& q) override;
    core::result<std::vector<series_count>> series_by_agency(std::int64_t from_ms,
                                                             std::int64_t to_ms) override;
    core::result<document_page> search_documents(const document_query& q) override;

  private:
    core::result<void> insert_event(const journey_event& e);  // caller holds mutex_
    // postgresql_series.cpp; callers hold mutex_ (ensure_series_schema: the constructor).
    void ensure_series_schema();
    core::result<void> record_series(const journey_event& e);
    core::result<void> index_document(const document_record& d);
    /// Runs one statement with text parameters; caller holds mutex_.
    core::result<pg_result_ptr> query(const std::string& sql,
                                      const std::vector<std::string>& params = {});

    std::mutex mutex_;
    pg_connection conn_;
    series_pruning series_pruning_;
};

}  // namespace lienthong::bus::store
