#pragma once
/// The `inbox` (pull) adapter: deliver() puts the document in the recipient's inbox, from which
/// the agency's system pulls it with GET /v1/inbox, GET /v1/inbox/{id} and
/// POST /v1/inbox/{id}/ack (bus/http/handlers/inbox.hpp).
///
/// Settings: none (any key is refused). The documents live in the tracking store's backend
/// (SQLite `store.path` or PostgreSQL `store.postgresql_url`), table `inbox`, until the agency
/// acks them; bus instances sharing a store share the inboxes.
#include <memory>

#include "adapters/api/adapter.hpp"
#include "inbox/inbox_store.hpp"

namespace lienthong::bus::inbox {

using adapters::adapter;
using adapters::adapter_factory;
using adapters::delivery;
using adapters::delivery_result;
using adapters::outcome;
using adapters::settings;

/// Runtime half. A database failure is retryable (disk full, busy): the message waits in the
/// broker rather than being lost. Thread-safe.
class inbox_adapter final : public adapter {
  public:
    explicit inbox_adapter(std::shared_ptr<inbox_store> store) : store_(std::move(store)) {}
    delivery_result deliver(const delivery& d) override;

  private:
    std::shared_ptr<inbox_store> store_;
};

/// Factory half; every subscription shares the bus's one store.
class factory final : public adapter_factory {
  public:
    explicit factory(std::shared_ptr<inbox_store> store) : store_(std::move(store)) {}
    void validate(const settings& s, const std::string& path,
                  std::vector<std::string>& errors) const override;
    std::unique_ptr<adapter> create(const settings& s) const override;

  private:
    std::shared_ptr<inbox_store> store_;
};

}  // namespace lienthong::bus::inbox
