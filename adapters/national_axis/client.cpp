#include "adapters/national_axis/client.hpp"

namespace lienthong::adapters::national_axis {

common::http_result client::call(std::string_view method, const header_list& logical,
                                 std::string body, std::string_view content_type,
                                 const header_list& plain) const {
    common::http_request req;
    req.method = "POST";
    req.url = cfg_->endpoint + "/" + std::string(method);
    req.headers = sign_request(logical, cfg_->system_id, cfg_->secret, content_type,
                               std::chrono::system_clock::now());
    req.headers.insert(req.headers.end(), plain.begin(), plain.end());
    req.body = std::move(body);
    req.timeout = cfg_->timeout;
    return common::send(req, &cfg_->tls);
}

}  // namespace lienthong::adapters::national_axis
