#include "inbox/inbox_adapter.hpp"

#include "core/log.hpp"
#include "core/message_contract.hpp"

namespace lienthong::bus::inbox {

delivery_result inbox_adapter::deliver(const delivery& d) {
    if (auto r = store_->put(d); !r) {
        core::log(core::log_level::warn, "inbox.put_failed",
                  {{"id", d.id},
                   {"recipient", core::join_recipients(d.recipients)},
                   {"detail", r.error().log_detail}});
        return {outcome::retryable_failure, "the inbox database failed"};
    }
    return {outcome::delivered, "in the inbox of " + core::join_recipients(d.recipients)};
}

void factory::validate(const settings& s, const std::string& path,
                       std::vector<std::string>& errors) const {
    for (const auto& [k, v] : s) {
        errors.push_back(path + "." + k + ": unknown setting (the inbox adapter has none)");
    }
}

std::unique_ptr<adapter> factory::create(const settings&) const {
    return std::make_unique<inbox_adapter>(store_);
}

}  // namespace lienthong::bus::inbox
