#include "support/webhook_receiver.hpp"

#include <fstream>
#include <regex>
#include <stdexcept>
#include <thread>

#include "support/bus_process.hpp"
#include "support/rabbitmq.hpp"

namespace lienthong::test {

namespace http = boost::beast::http;

webhook_receiver::webhook_receiver() {
    server_ = std::make_unique<loopback_http_server>([this](const loopback_request& req) {
        webhook_delivery d;
        d.path = std::string(req.target());
        auto field = [&](const char* name) { return std::string(req[name]); };
        d.id = field("X-Lienthong-Id");
        d.document_id = field("X-Lienthong-Document-Id");
        d.sender = field("X-Lienthong-Sender");
        d.recipient = field("X-Lienthong-Recipient");
        d.envelope_signature = field("X-Lienthong-Envelope-Signature");
        d.document_signatures = field("X-Lienthong-Document-Signatures");
        d.document_verdicts = field("X-Lienthong-Document-Verdicts");
        try {
            d.attempt = std::stoi(field("X-Lienthong-Attempt"));
        } catch (const std::exception&) {
            d.attempt = 0;
        }
        d.body = req.body();
        d.at = std::chrono::steady_clock::now();
        int status = 200;
        {
            std::lock_guard lock(mutex_);
            if (always_ != 0) {
                status = always_;
            } else if (fail_next_ > 0) {
                --fail_next_;
                status = fail_status_;
            }
            d.answered = status;
            received_.push_back(d);
        }
        loopback_response res{static_cast<http::status>(status), req.version()};
        res.set(http::field::content_type, "text/plain");
        res.body() = status == 200 ? "ok" : "receiver told to fail";
        return res;
    });
}

std::string webhook_receiver::url(const std::string& name) const {
    return "http://127.0.0.1:" + std::to_string(port()) + "/" + name;
}

void webhook_receiver::fail_next(int n, int status) {
    std::lock_guard lock(mutex_);
    fail_next_ = n;
    fail_status_ = status;
}

void webhook_receiver::always_fail(int status) {
    std::lock_guard lock(mutex_);
    always_ = status;
}

std::vector<webhook_delivery> webhook_receiver::received() const {
    std::lock_guard lock(mutex_);
    return received_;
}

std::vector<webhook_delivery> webhook_receiver::delivered() const {
    std::vector<webhook_delivery> out;
    for (auto& d : received()) {
        if (d.answered >= 200 && d.answered < 300) {
            out.push_back(std::move(d));
        }
    }
    return out;
}

bool webhook_receiver::wait_delivered(std::size_t n, std::chrono::milliseconds limit) const {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (delivered().size() < n) {
        if (std::chrono::steady_clock::now() > deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

bool webhook_receiver::wait_received(std::size_t n, std::chrono::milliseconds limit) const {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (received().size() < n) {
        if (std::chrono::steady_clock::now() > deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

std::string webhook_subscription(const std::string& url, const std::string& extra_yaml) {
    return "      - type: http_webhook\n        settings: {url: '" + url +
           "', timeout_ms: 5000}\n" + extra_yaml;
}

std::string write_directory(const std::map<std::string, std::string>& subscriptions,
                            const std::string& extra) {
    struct entry {
        const char* code;
        const char* level;
        const char* parent;
    };
    const entry agencies[] = {{province, "province", ""},        {district1, "district", province},
                              {district2, "district", province}, {commune1, "commune", district1},
                              {commune2, "commune", district1},  {commune3, "commune", district2}};
    std::string text = "agencies:\n";
    for (const auto& a : agencies) {
        text += "  - code: " + std::string(a.code) + "\n    name: Agency " + a.code +
                "\n    level: " + a.level + "\n";
        if (*a.parent != '\0') {
            text += "    parent: " + std::string(a.parent) + "\n";
        }
        if (auto it = subscriptions.find(a.code); it != subscriptions.end()) {
            text += "    subscriptions:\n" + it->second;
        }
    }
    text += extra;
    const auto path = make_temp_dir("lienthong-agencies") + "/agencies.yaml";
    std::ofstream out(path);
    out << text;
    if (!out) {
        throw std::runtime_error("cannot write " + path);
    }
    return path;
}

std::string delivery_config(int amqp_port, const std::string& directory_path,
                            const std::string& extra,
                            const std::vector<std::string>& token_agencies) {
    auto cfg = test_config(amqp_port, extra, false, token_agencies);
    static const std::regex directory_line("directory: [^\n]*\n");
    cfg = std::regex_replace(cfg, directory_line, "directory: " + directory_path + "\n",
                             std::regex_constants::format_first_only);
    const auto prefix = unique_name("lienthong.test");
    const auto at = cfg.find("broker:\n");
    if (at == std::string::npos) {
        throw std::logic_error("test_config has no broker section");
    }
    cfg.insert(at + 8, "  queue_prefix: " + prefix + "\n  exchange: " + prefix + ".documents\n");
    return cfg;
}

std::string queue_prefix_of(const std::string& config_yaml) {
    static const std::regex prefix_line("queue_prefix: ([^\n]*)\n");
    std::smatch m;
    if (!std::regex_search(config_yaml, m, prefix_line)) {
        throw std::logic_error("no queue_prefix in the config");
    }
    return m[1];
}

}  // namespace lienthong::test
