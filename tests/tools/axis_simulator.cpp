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

std::string axis_simulator::seed(std::string packet, std::string from, std::string to) {
    std::lock_guard lock(mutex_);
    waiting w;
    w.doc_id = "AXIS-IN-" + std::to_string(next_id_++);
    w.from = std::move(from);
    w.to = std::move(to);
    w.packet = std::move(packet);
    waiting_.push_back(std::move(w));
    return waiting_.back().doc_id;
}

loopback_response axis_simulator::handle(const loopback_request& req) {
    const std::string target(req.target().substr(0, req.target().find('?')));

    // Test and demo helpers: unsigned, loopback only.
    if (req.method() == http::verb::get && target == "/sim/received") {
        std::lock_guard lock(mutex_);
        boost::json::array a;
        for (const auto& r : received_) {
            a.push_back({{"docId", r.doc_id},
                         {"from", r.from},
                         {"to", r.to},
                         {"messagetype", r.messagetype},
                         {"systemid", r.system_id},
                         {"bytes", r.packet.size()},
                         {"sha256", r.hash_file}});
        }
        return json_reply(http::status::ok, boost::json::serialize(a));
    }
    if (req.method() == http::verb::get && target == "/sim/status") {
        std::lock_guard lock(mutex_);
        boost::json::array a;
        for (const auto& u : updates_) {
            a.push_back({{"docId", u.doc_id}, {"status", u.status}});
        }
        return json_reply(http::status::ok, boost::json::serialize(a));
    }
    if (req.method() == http::verb::post && target == "/sim/inbox") {
        const auto id = seed(req.body(), std::string(req["X-From"]), std::string(req["X-To"]));
        return ok(id);
    }

    if (req.method() != http::verb::post) {
        return fail(http::status::method_not_allowed, "only POST is served");
    }
    axis::header_list all;
    for (const auto& f : req) {
        all.emplace_back(std::string(f.name_string()), std::string(f.value()));
    }
    auto verified = axis::verify_request(all, secret_);
    if (!verified) {
        std::lock_guard lock(mutex_);
        ++refused_;
        return fail(http::status::unauthorized, verified.error().message);
    }
    const auto& h = *verified;

    if (target == "/sendEdoc") {
        const std::string hash(req["hash-file"]);
        if (hash != axis::sha256_hex(req.body())) {
            std::lock_guard lock(mutex_);
            ++refused_;
            return fail(http::status::bad_request,
                        "hash-file is not the SHA-256 of the body (64 lowercase hex digits)");
        }
        std::lock_guard lock(mutex_);
        axis_received r{"AXIS-" + std::to_string(next_id_++),
                        logical(h, "from"),
                        logical(h, "to"),
                        logical(h, "messagetype"),
                        logical(h, "systemid"),
                        hash,
                        req.body()};
        if (!store_dir_.empty()) {
            std::ofstream(store_dir_ + "/" + r.doc_id + ".edxml", std::ios::binary) << r.packet;
        }
        received_.push_back(std::move(r));
        return ok(received_.back().doc_id);
    }
    if (target == "/getReceivedEdocList") {
        std::lock_guard lock(mutex_);
        boost::json::array data;
        for (const auto& w : waiting_) {
            if (w.status == "inbox") {
                data.push_back({{"docId", w.doc_id},
                                {"serviceType", "eDoc"},
                                {"messageType", "edoc"},
                                {"from", w.from},
                                {"to", w.to},
                                {"status", w.status}});
            }
        }
        return ok({}, {{"data", boost::json::serialize(data)}});
    }
    if (target == "/getEdoc" || target == "/updateStatus") {
        const auto doc_id = logical(h, "docId");
        std::lock_guard lock(mutex_);
        for (auto& w : waiting_) {
            if (w.doc_id != doc_id) {
                continue;
            }
            if (target == "/getEdoc") {
                return ok({}, {{"data", boost::json::serialize(
                                            boost::json::value(axis::base64_encode(w.packet)))}});
            }
            w.status = logical(h, "status");
            updates_.push_back({doc_id, w.status});
            return ok();
        }
        return fail(http::status::not_found, "no document " + doc_id);
    }
    return fail(http::status::not_found, "no endpoint " + target);
}

}  // namespace lienthong::test
