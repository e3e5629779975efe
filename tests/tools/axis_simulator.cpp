#include "tools/axis_simulator.hpp"

#include <boost/json.hpp>
#include <fstream>

namespace lienthong::test {

namespace axis = adapters::national_axis;
namespace http = boost::beast::http;

namespace {

loopback_response json_reply(http::status status, const std::string& body) {
    loopback_response res{status, 11};
    res.set(http::field::content_type, "application/json");
    res.body() = body;
    return res;
}

loopback_response ok(const std::string& doc_id = {}, const axis::header_list& extra = {}) {
    return json_reply(http::status::ok, axis::make_reply({"OK", "0", "Thành công", doc_id}, extra));
}

loopback_response fail(http::status status, const std::string& desc) {
    return json_reply(
        status, axis::make_reply({"FAIL", std::to_string(static_cast<int>(status)), desc, {}}));
}

std::string logical(const axis::header_list& h, std::string_view name) {
    for (const auto& [k, v] : h) {
        if (k == name) {
            return v;
        }
    }
    return {};
}

}  // namespace

core::result<axis::header_list> verify_axis_request(const axis::header_list& all,
                                                    std::string_view target, std::string_view body,
                                                    std::string_view secret) {
    auto verified = axis::verify_request(all, secret);
    if (!verified) {
        return verified;
    }
    if (target == "/sendEdoc") {
        if (auto hashed = axis::verify_hash_file(*verified, body); !hashed) {
            return std::move(hashed).error();
        }
    }
    return verified;
}

axis_simulator::axis_simulator(std::string secret, unsigned short port, std::string store_dir)
    : secret_(std::move(secret)), store_dir_(std::move(store_dir)) {
    server_ = std::make_unique<loopback_http_server>(
        [this](const loopback_request& req) { return handle(req); }, port);
}

std::string axis_simulator::endpoint() const {
    return "http://127.0.0.1:" + std::to_string(port());
}

std::vector<axis_received> axis_simulator::received() const {
    std::lock_guard lock(mutex_);
    return received_;
}

std::size_t axis_simulator::refused() const {
    std::lock_guard lock(mutex_);
    return refused_;
}

std::vector<axis_status_update> axis_simulator::status_updates() const {
    std::lock_guard lock(mutex_);
    return updates_;
}

std::vector<axis_request> axis_simulator::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

std::string axis_simulator::seed(std::string packet, std::string from, std::string to,
                                 std::string messagetype, std::string doc_id) {
    std::lock_guard lock(mutex_);
    waiting w;
    w.doc_id = doc_id.empty() ? "AXIS-IN-" + std::to_string(next_id_++) : std::move(doc_id);
    w.messagetype = std::move(messagetype);
    w.from = std::move(from);
    w.to = std::move(to);
    w.packet = std::move(packet);
    waiting_.push_back(std::move(w));
    return waiting_.back().doc_id;
}

loopback_response axis_simulator::handle(const loopback_request& req) {
    const std::string target(req.target().substr(0, req.target().find('?')));
    if (target.starts_with("/sim/")) {
        return helper(req, target);
    }
    if (req.method() != http::verb::post) {
        return fail(http::status::method_not_allowed, "only POST is served");
    }
    axis::header_list all;
    for (const auto& f : req) {
        all.emplace_back(std::string(f.name_string()), std::string(f.value()));
    }
    auto verified = verify_axis_request(all, target, req.body(), secret_);
    std::lock_guard lock(mutex_);
    auto res = verified ? serve(target, *verified, req.body())
                        : fail(verified.error().field == "XroadVnpt-hash-file"
                                   ? http::status::bad_request
                                   : http::status::unauthorized,
                               verified.error().message);
    refused_ += verified ? 0 : 1;
    requests_.push_back({target, std::move(all), req.body(), static_cast<int>(res.result_int())});
    return res;
}

// Test and demo helpers: unsigned, loopback only.
loopback_response axis_simulator::helper(const loopback_request& req, const std::string& target) {
    if (req.method() == http::verb::post && target == "/sim/inbox") {
        const std::string type(req["X-Message-Type"]);
        const auto id = seed(req.body(), std::string(req["X-From"]), std::string(req["X-To"]),
                             type.empty() ? "edoc" : type, std::string(req["X-Doc-Id"]));
        return ok(id);
    }
    std::lock_guard lock(mutex_);
    boost::json::array a;
    if (req.method() == http::verb::get && target == "/sim/received") {
        for (const auto& r : received_) {
            a.push_back({{"docId", r.doc_id},
                         {"from", r.from},
                         {"to", r.to},
                         {"messagetype", r.messagetype},
                         {"systemid", r.system_id},
                         {"bytes", r.packet.size()},
                         {"hash-file", r.hash_file}});
        }
        return json_reply(http::status::ok, boost::json::serialize(a));
    }
    if (req.method() == http::verb::get && target == "/sim/status") {
        for (const auto& u : updates_) {
            a.push_back({{"docId", u.doc_id},
                         {"status", u.status},
                         {"description", u.description},
                         {"messagetype", u.messagetype}});
        }
        return json_reply(http::status::ok, boost::json::serialize(a));
    }
    return fail(http::status::not_found, "no helper " + target);
}

loopback_response axis_simulator::serve(const std::string& target, const headers& h,
                                        const std::string& body) {
    if (target == "/sendEdoc") {
        return send_edoc(h, body);
    }
    if (target == "/getReceivedEdocList") {
        return list_received(h);
    }
    if (target == "/getSentEdocList") {
        return list_sent();
    }
    if (target == "/getEdoc" || target == "/updateStatus") {
        return by_doc_id(target, h);
    }
    return fail(http::status::not_found, "no endpoint " + target);
}

loopback_response axis_simulator::send_edoc(const headers& h, const std::string& body) {
    axis_received r{"AXIS-" + std::to_string(next_id_++),
                    logical(h, "from"),
                    logical(h, "to"),
                    logical(h, "messagetype"),
                    logical(h, "systemid"),
                    logical(h, "hash-file"),
                    std::string(axis::packet_of_upload(body))};
    if (!store_dir_.empty()) {
        std::ofstream(store_dir_ + "/" + r.doc_id + ".edxml", std::ios::binary) << r.packet;
    }
    received_.push_back(std::move(r));
    return ok(received_.back().doc_id);
}

loopback_response axis_simulator::list_received(const headers& h) const {
    const auto type = logical(h, "messagetype");
    boost::json::array data;
    for (const auto& w : waiting_) {
        if (w.status == "inbox" && w.messagetype == type) {
            data.push_back({{"docId", w.doc_id},
                            {"serviceType", "eDoc"},
                            {"messageType", w.messagetype},
                            {"from", w.from},
                            {"to", w.to},
                            {"status", w.status}});
        }
    }
    return ok({}, {{"data", boost::json::serialize(data)}});
}

loopback_response axis_simulator::list_sent() const {
    boost::json::array data;
    for (const auto& r : received_) {
        data.push_back({{"senderDocId", r.doc_id},
                        {"fromCode", r.from},
                        {"toCode", r.to},
                        {"messageType", r.messagetype},
                        {"serviceType", "eDoc"},
                        {"sendStatus", "done"}});
    }
    return ok({}, {{"data", boost::json::serialize(data)}});
}

loopback_response axis_simulator::by_doc_id(const std::string& target, const headers& h) {
    const auto doc_id = logical(h, "docId");
    for (auto& w : waiting_) {
        if (w.doc_id != doc_id) {
            continue;
        }
        if (target == "/getEdoc") {
            return ok({}, {{"data", boost::json::serialize(
                                        boost::json::value(axis::base64_encode(w.packet)))}});
        }
        w.status = logical(h, "status");
        updates_.push_back({doc_id, w.status, logical(h, "description"), w.messagetype});
        return ok();
    }
    return fail(http::status::not_found, "no document " + doc_id);
}

}  // namespace lienthong::test
