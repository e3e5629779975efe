#pragma once
#include <mutex>
#include <string>

#include "store/inbox_storage.hpp"
#include "store/postgresql_connection.hpp"

namespace lienthong::bus::store {

/// The inbox in the tracking store's PostgreSQL database (table `inbox`, packet as BYTEA), on a
/// connection of its own, so that every bus instance of one database sees the same inboxes.
/// One connection behind a mutex; a broken connection is reset and the statement retried once
/// (each statement stands alone: the insert ignores a duplicate, the delete of a gone row is a
/// no-op).
class postgresql_inbox_storage final : public inbox_storage {
  public:
    /// Connects and creates the table if missing (instances starting together take an advisory
    /// lock). Throws std::runtime_error without the password.
    explicit postgresql_inbox_storage(const std::string& url);

    core::result<void> put(const std::string& agency, const inbox_entry& e,
                           const std::string& packet) override;
    core::result<std::vector<inbox_entry>> list(const std::string& agency,
                                                std::size_t limit) override;
    core::result<std::optional<std::string>> packet(const std::string& agency,
                                                    const std::string& id) override;
    core::result<bool> ack(const std::string& agency, const std::string& id) override;

  private:
    std::mutex mutex_;
    pg_connection conn_;
};

}  // namespace lienthong::bus::store
