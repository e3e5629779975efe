#include "adapters/national_axis/national_axis_adapter.hpp"

#include <algorithm>

#include "core/log.hpp"
#include "core/message_contract.hpp"

namespace lienthong::adapters::national_axis {

delivery_result national_axis_adapter::deliver(const delivery& d) {
    // The national-axis route carries every addressee outside the province: the axis gets the
    // packet once, with all of them in `to`.
    auto res = client_.send_edoc(*d.packet, d.sender, d.recipients, d.kind);
    auto verdict = judge_send(res.status, res.error, res.body);
    core::log(verdict.result == outcome::delivered ? core::log_level::info : core::log_level::warn,
              "national_axis.send",
              {{"id", d.id},
               {"recipient", core::join_recipients(d.recipients)},
               {"messagetype", std::string(messagetype_of(d.kind))},
               {"http_status", std::to_string(res.status)},
               {"result", verdict.reason}});
    return verdict;
}

}  // namespace lienthong::adapters::national_axis
