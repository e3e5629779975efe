#pragma once
#include <mutex>
#include <string>

#include "store/inbox_storage.hpp"
#include "store/sqlite.hpp"

namespace lienthong::bus::store {

/// The inbox in the tracking store's SQLite file (table `inbox`), on a connection of its own:
/// SQLite's WAL lets it read while the tracking store writes. One connection behind a mutex.
class sqlite_inbox_storage final : public inbox_storage {
  public:
    /// Opens or creates `path` and the table. Throws std::runtime_error naming the path.
    explicit sqlite_inbox_storage(const std::string& path);

    core::result<void> put(const std::string& agency, const inbox_entry& e,
                           const std::string& packet) override;
    core::result<std::vector<inbox_entry>> list(const std::string& agency,
                                                std::size_t limit) override;
    core::result<std::optional<std::string>> packet(const std::string& agency,
                                                    const std::string& id) override;
    core::result<bool> ack(const std::string& agency, const std::string& id) override;

  private:
    std::mutex mutex_;
    sqlite_db db_;
};

}  // namespace lienthong::bus::store
