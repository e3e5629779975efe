#include "store/series.hpp"

#include <chrono>

#include "core/message_contract.hpp"

namespace lienthong::bus::store {

std::size_t latency_bucket(std::int64_t ms) noexcept {
    std::size_t i = 0;
    while (i < latency_bounds_ms.size() && ms > latency_bounds_ms[i]) {
        ++i;
    }
    return i;
}

std::int64_t latency_percentile(const std::vector<std::int64_t>& buckets, double p) noexcept {
    std::int64_t total = 0;
    for (const auto n : buckets) {
        total += n;
    }
    if (total == 0) {
        return 0;
    }
    const double wanted = p / 100.0 * static_cast<double>(total);
    std::int64_t seen = 0;
    for (std::size_t i = 0; i < buckets.size(); ++i) {
        seen += buckets[i];
        if (static_cast<double>(seen) >= wanted && buckets[i] > 0) {
            return i < latency_bounds_ms.size() ? latency_bounds_ms[i] : latency_bounds_ms.back();
        }
    }
    return latency_bounds_ms.back();
}

std::vector<series_increment> series_increments(std::string_view kind, std::string_view code,
                                                const std::string& agency, std::int64_t time_ms,
                                                std::int64_t created_ms) {
    const std::int64_t minute = time_ms - time_ms % minute_ms;
    std::vector<series_increment> out;
    if (kind == core::event::accepted) {
        out.push_back({minute, agency, series_metric::accepted});
    } else if (kind == core::event::delivered) {
        out.push_back({minute, agency, series_metric::delivered});
        if (created_ms > 0) {
            const auto b = latency_bucket(time_ms - created_ms);
            out.push_back({minute, agency,
                           std::string(series_metric::latency_prefix) + (b < 10 ? "0" : "") +
                               std::to_string(b)});
        }
    } else if (kind == core::event::rejected) {
        out.push_back({minute, agency,
                       std::string(series_metric::rejected_prefix) +
                           std::string(code.empty() ? "unknown" : code)});
    } else if (kind == core::event::attempt) {
        out.push_back({minute, agency, series_metric::failed_attempt});
    } else if (kind == core::event::dead_lettered) {
        out.push_back({minute, agency, series_metric::dead_lettered});
    }
    return out;
}

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string contains_pattern(const std::string& word) {
    std::string out = "%";
    for (const char c : word) {
        if (c == '%' || c == '_' || c == '\\') {
            out += '\\';
        }
        out += c;
    }
    return out + "%";
}

}  // namespace lienthong::bus::store
