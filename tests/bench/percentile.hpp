#pragma once
// The latency percentile the bench programs report.
#include <algorithm>
#include <cstddef>
#include <vector>

namespace lienthong::bench {

/// The `p` (0..1) percentile of `sorted` (nearest rank); 0 for no values.
inline double percentile(const std::vector<double>& sorted, double p) {
    if (sorted.empty()) {
        return 0;
    }
    const auto i = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
    return sorted[std::min(i, sorted.size() - 1)];
}

}  // namespace lienthong::bench
