#include "adapters/http_webhook/config.hpp"

#include <filesystem>

#include "adapters/http_webhook/http_webhook_adapter.hpp"

namespace lienthong::adapters::http_webhook {

namespace {

constexpr std::int64_t min_timeout_ms = 100;
constexpr std::int64_t max_timeout_ms = 600'000;

bool parse_ms(const std::string& text, std::int64_t& out) {
    try {
        std::size_t used = 0;
        out = std::stoll(text, &used);
        return used == text.size();
    } catch (const std::exception&) {
        return false;
    }
}

}  // namespace

void factory::validate(const settings& s, const std::string& path,
                       std::vector<std::string>& errors) const {
    for (const auto& [key, value] : s) {
        if (key != "url" && key != "timeout_ms" && key != "ca_file" && key != "client_cert" &&
            key != "client_key") {
            errors.push_back(path + "." + key +
                             ": unknown setting (known: url, timeout_ms, ca_file, client_cert, "
                             "client_key)");
        }
    }
    auto url = s.find("url");
    if (url == s.end() || url->second.empty()) {
        errors.push_back(path + ".url: is required");
    } else if (auto p = common::parse_url(url->second); !p.ok) {
        errors.push_back(path + ".url: '" + url->second + "' " + p.error);
    }
    if (auto t = s.find("timeout_ms"); t != s.end()) {
        std::int64_t ms = 0;
        if (!parse_ms(t->second, ms) || ms < min_timeout_ms || ms > max_timeout_ms) {
            errors.push_back(path + ".timeout_ms: must be an integer in 100..600000");
        }
    }
    for (const char* key : {"ca_file", "client_cert", "client_key"}) {
        std::error_code ec;
        if (auto f = s.find(key);
            f != s.end() && !std::filesystem::is_regular_file(f->second, ec)) {
            errors.push_back(path + "." + key + ": file '" + f->second + "' does not exist");
        }
    }
    if (s.count("client_cert") != s.count("client_key")) {
        errors.push_back(path + ".client_cert: client_cert and client_key go together");
    }
}

config factory::parse(const settings& s) {
    config c;
    c.url = s.at("url");
    if (auto t = s.find("timeout_ms"); t != s.end()) {
        std::int64_t ms = 0;
        parse_ms(t->second, ms);
        c.timeout = std::chrono::milliseconds(ms);
    }
    auto get = [&](const char* key) {
        auto f = s.find(key);
        return f == s.end() ? std::string{} : f->second;
    };
    c.tls = {get("ca_file"), get("client_cert"), get("client_key")};
    return c;
}

std::unique_ptr<adapter> factory::create(const settings& s) const {
    return std::make_unique<http_webhook_adapter>(parse(s));
}

}  // namespace lienthong::adapters::http_webhook
