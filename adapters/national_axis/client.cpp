#include "adapters/national_axis/client.hpp"

#include <boost/json.hpp>

namespace lienthong::adapters::national_axis {

namespace {

header_list kind_headers(message_kind kind) {
    return {{"servicetype", "eDoc"}, {"messagetype", std::string(messagetype_of(kind))}};
}

}  // namespace

common::http_result client::call(std::string_view method, const header_list& logical,
                                 std::string body, std::string_view content_type) const {
    common::http_request req;
    req.method = "POST";
    req.url = cfg_->endpoint + "/" + std::string(method);
    req.headers = sign_request(logical, cfg_->system_id, cfg_->secret, content_type, now_());
    req.body = std::make_shared<const std::string>(std::move(body));
    req.timeout = cfg_->timeout;
    return common::send(req, &cfg_->tls);
}

common::http_result client::send_edoc(std::string_view packet, const std::string& from,
                                      const std::vector<std::string>& to, message_kind kind) const {
    auto logical = kind_headers(kind);
    logical.emplace_back("hash-file", sdk_hash_file(packet));
    logical.emplace_back("from", from);
    if (!to.empty()) {
        boost::json::array codes;
        for (const auto& code : to) {
            codes.emplace_back(code);
        }
        logical.emplace_back("to", boost::json::serialize(codes));
    }
    return call("sendEdoc", logical, upload_body(packet), "application/octet-stream");
}

common::http_result client::list_received(message_kind kind) const {
    return call("getReceivedEdocList", kind_headers(kind));
}

common::http_result client::get_edoc(const std::string& doc_id, message_kind kind) const {
    auto logical = kind_headers(kind);
    logical.emplace_back("docId", doc_id);
    logical.emplace_back("filePath", std::string(fetch_file_path));
    return call("getEdoc", logical, "{}");
}

common::http_result client::update_status(const std::string& doc_id, message_kind kind,
                                          std::string_view status,
                                          std::string_view description) const {
    auto logical = kind_headers(kind);
    logical.emplace_back("docId", doc_id);
    logical.emplace_back("status", std::string(status));
    if (const auto safe = header_safe(description); !safe.empty()) {
        logical.emplace_back("description", safe);
    }
    return call("updateStatus", logical, "{}");
}

}  // namespace lienthong::adapters::national_axis
