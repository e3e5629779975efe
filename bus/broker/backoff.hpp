#pragma once
#include <algorithm>
#include <chrono>
#include <cstdint>

namespace lienthong::bus::broker {

/// Reconnect delay before attempt `attempt` (0-based): 100 ms doubling up to `cap`, with "equal
/// jitter" (a uniformly random half is dropped, driven by `random`) so that many buses restarting
/// together do not hammer the broker in lock-step. Always within [ceiling / 2, ceiling].
inline std::chrono::milliseconds backoff_delay(int attempt, std::chrono::milliseconds cap,
                                               std::uint32_t random) noexcept {
    constexpr std::int64_t base_ms = 100;
    const std::int64_t cap_ms = std::max<std::int64_t>(cap.count(), 1);
    const int shift = std::clamp(attempt, 0, 30);
    const std::int64_t ceiling = std::min(cap_ms, base_ms << shift);
    const std::int64_t half = ceiling / 2;
    return std::chrono::milliseconds{ceiling - half +
                                     static_cast<std::int64_t>(random % (half + 1))};
}

}  // namespace lienthong::bus::broker
