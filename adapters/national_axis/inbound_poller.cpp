#include "adapters/national_axis/inbound_poller.hpp"

#include <boost/json.hpp>

#include "core/log.hpp"

namespace lienthong::adapters::national_axis {

namespace {

/// The reply's envelope, if the exchange worked and the axis said OK; logs why not otherwise.
core::result<boost::json::object> ok_reply(const common::http_result& res, std::string_view what) {
    std::string why;
    if (!res.ok()) {
        why = res.error;
    } else if (res.status < 200 || res.status >= 300) {
        why = "HTTP " + std::to_string(res.status);
    } else if (auto r = parse_reply(res.body); !r) {
        why = r.error().message;
    } else if (!r->ok()) {
        why = "ErrorCode " + r->error_code + ": " + r->error_desc;
    } else {
        boost::system::error_code ec;
        auto v = boost::json::parse(res.body, ec);
        return std::move(v.as_object());  // parse_reply checked it is an object
    }
    core::log(core::log_level::warn, "national_axis.poll_failed",
              {{"call", what}, {"reason", why}});
    return core::fail(core::errc::internal, why);
}

}  // namespace

inbound_poller::inbound_poller(std::shared_ptr<const config> cfg, inbound_sink sink)
    : client_(std::move(cfg)), sink_(std::move(sink)) {}

inbound_poller::~inbound_poller() { stop(); }

void inbound_poller::start() {
    if (client_.settings().poll_interval.count() == 0 || thread_.joinable()) {
        return;
    }
    thread_ = std::thread([this] {
        std::unique_lock lock(mutex_);
        while (!stopping_) {
            lock.unlock();
            poll_once();
            lock.lock();
            wake_.wait_for(lock, client_.settings().poll_interval, [this] { return stopping_; });
        }
    });
}

void inbound_poller::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

bool inbound_poller::stop_requested() {
    std::lock_guard lock(mutex_);
    return stopping_;
}

poll_report inbound_poller::poll_once() {
    poll_report report;
    for (const auto kind : {message_kind::edoc, message_kind::status}) {
        if (stop_requested()) {
            break;
        }
        poll_kind(kind, report);
    }
    return report;
}

void inbound_poller::poll_kind(message_kind kind, poll_report& report) {
    auto list = ok_reply(client_.list_received(kind), "getReceivedEdocList");
    if (!list) {
        report.list_failed = true;
        return;
    }
    const auto* data = list->if_contains("data");
    if (data == nullptr || !data->is_array()) {
        return;  // nothing waiting
    }
    for (const auto& item : data->get_array()) {
        const auto* id_value = item.is_object() ? item.get_object().if_contains("docId") : nullptr;
        if (id_value == nullptr || !id_value->is_string()) {
            continue;
        }
        if (stop_requested()) {
            return;
        }
        ++report.listed;
        report.statuses += kind == message_kind::status ? 1 : 0;
        take(kind, std::string(id_value->get_string()), report);
    }
}

void inbound_poller::take(message_kind kind, const std::string& doc_id, poll_report& report) {
    const std::string type(messagetype_of(kind));
    auto fetched = ok_reply(client_.get_edoc(doc_id, kind), "getEdoc");
    if (!fetched) {
        ++report.deferred;
        return;
    }
    const auto* b64 = fetched->if_contains("data");
    auto packet = b64 != nullptr && b64->is_string()
                      ? base64_decode(std::string_view(b64->get_string()))
                      : std::nullopt;
    delivery_result verdict{outcome::permanent_failure, "getEdoc data is not base64"};
    if (packet) {
        verdict = sink_(kind, std::make_shared<const std::string>(std::move(*packet)), doc_id);
    }
    if (verdict.result == outcome::retryable_failure) {
        ++report.deferred;
        core::log(core::log_level::warn, "national_axis.inbound_deferred",
                  {{"axis_doc_id", doc_id}, {"messagetype", type}, {"reason", verdict.reason}});
        return;
    }
    const bool done = verdict.result == outcome::delivered;
    ++(done ? report.accepted : report.refused);
    core::log(done ? core::log_level::info : core::log_level::warn, "national_axis.inbound",
              {{"axis_doc_id", doc_id},
               {"messagetype", type},
               {"status", done ? "done" : "fail"},
               {"detail", verdict.reason}});
    // A lost updateStatus costs little: the packet is listed again; a document is then accepted
    // as a repeat, a status packet is recorded and forwarded a second time.
    (void)ok_reply(client_.update_status(doc_id, kind, done ? "done" : "fail",
                                         done ? std::string_view{} : verdict.reason),
                   "updateStatus");
}

}  // namespace lienthong::adapters::national_axis
