#pragma once
#include <chrono>
#include <map>
#include <mutex>
#include <string>

namespace lienthong::bus::http {

/// Token buckets, one per caller key (agency code or admin name; keys come from the config, so
/// the map cannot grow with untrusted input). Each bucket holds up to `burst` requests and
/// refills at `per_minute`. Thread-safe: one mutex around a lookup and a little arithmetic.
class rate_limiter final {
  public:
    using clock = std::chrono::steady_clock;

    /// `per_minute` == 0 disables the limit.
    rate_limiter(int per_minute, int burst);

    /// 0 when `key` may proceed now (one request is counted), else the whole seconds (>= 1)
    /// until its bucket holds a request again (for Retry-After).
    int acquire(const std::string& key, clock::time_point now = clock::now());

  private:
    struct bucket {
        double tokens;
        clock::time_point at;
    };
    double per_second_;
    double burst_;
    std::mutex mutex_;
    std::map<std::string, bucket> buckets_;
};

}  // namespace lienthong::bus::http
