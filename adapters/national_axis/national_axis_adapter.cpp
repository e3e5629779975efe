#include "adapters/national_axis/national_axis_adapter.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "core/log.hpp"

namespace lienthong::adapters::national_axis {

delivery_result national_axis_adapter::deliver(const delivery& d) {
    // The national-axis route carries every addressee outside the province, comma-joined: the
    // axis gets the packet once, with all of them in `to`.
    boost::json::array to;
    for (std::size_t start = 0; start <= d.recipient.size();) {
        const auto comma = std::min(d.recipient.find(',', start), d.recipient.size());
        if (comma > start) {
            to.emplace_back(d.recipient.substr(start, comma - start));
        }
        start = comma + 1;
    }
    const header_list logical{{"from", d.sender},
                              {"servicetype", "eDoc"},
                              {"messagetype", "edoc"},
                              {"to", boost::json::serialize(to)}};
    auto res = client_.call("sendEdoc", logical, *d.packet, "application/octet-stream",
                            {{"hash-file", sha256_hex(*d.packet)}});
    auto verdict = judge_send(res.status, res.error, res.body);
    core::log(verdict.result == outcome::delivered ? core::log_level::info : core::log_level::warn,
              "national_axis.send",
              {{"id", d.id},
               {"recipient", d.recipient},
               {"http_status", std::to_string(res.status)},
               {"result", verdict.reason}});
    return verdict;
}

}  // namespace lienthong::adapters::national_axis
