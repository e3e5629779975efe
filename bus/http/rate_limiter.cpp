#include "http/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace lienthong::bus::http {

rate_limiter::rate_limiter(int per_minute, int burst)
    : per_second_(per_minute / 60.0), burst_(std::max(burst, 1)) {}

int rate_limiter::acquire(const std::string& key, clock::time_point now) {
    if (per_second_ <= 0) {
        return 0;
    }
    std::lock_guard lock(mutex_);
    auto& b = buckets_.try_emplace(key, bucket{burst_, now}).first->second;
    const std::chrono::duration<double> elapsed = now - b.at;
    if (elapsed.count() > 0) {
        b.tokens = std::min(burst_, b.tokens + elapsed.count() * per_second_);
        b.at = now;
    }
    if (b.tokens >= 1.0) {
        b.tokens -= 1.0;
        return 0;
    }
    // The epsilon keeps floating-point noise from adding a whole second (10.0000001 -> 11).
    return std::max(1, static_cast<int>(std::ceil((1.0 - b.tokens) / per_second_ - 1e-6)));
}

}  // namespace lienthong::bus::http
