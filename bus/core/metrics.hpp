#pragma once
// Process metrics, exposed in the Prometheus text format (0.0.4) at GET /metrics: counters,
// gauges and histograms with labels. Counters also keep a one-minute window so the admin API can
// report rates (publish/deliver per route) without a Prometheus server.
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lienthong::core {

using metric_labels = std::vector<std::pair<std::string, std::string>>;

/// Latency buckets (seconds) for ingest and delivery histograms.
inline const std::vector<double> latency_buckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                                    1,     2.5,  5,     10,   30,  60};

/// A registry of metric families. Thread-safe: every method may be called from any thread.
/// A family is created by its first use (its type follows from the call) or by describe().
class metrics final {
  public:
    enum class kind { counter, gauge, histogram };

    /// HELP text and type of a family; histograms get their bucket bounds (seconds) here.
    void describe(const std::string& name, kind k, std::string help,
                  std::vector<double> buckets = latency_buckets);

    /// Counter += n.
    void add(const std::string& name, const metric_labels& labels = {}, double n = 1);
    /// Gauge = v.
    void set(const std::string& name, const metric_labels& labels, double v);
    /// One histogram observation.
    void observe(const std::string& name, const metric_labels& labels, double value);

    /// Current value of a counter or gauge series (0 when absent).
    double value(const std::string& name, const metric_labels& labels = {}) const;
    /// Events per second of a counter series over the last minute.
    double rate(const std::string& name, const metric_labels& labels = {}) const;

    /// `refresh` runs at the start of every render(), e.g. to sample queue depths.
    void on_scrape(std::function<void(metrics&)> refresh);

    /// The whole registry in the Prometheus text format.
    std::string render();

  private:
    struct series {
        double value = 0;                         ///< counter or gauge value; histogram sum
        std::vector<std::uint64_t> buckets;       ///< histogram: per-bound counts (not cumulative)
        std::uint64_t count = 0;                  ///< histogram observations
        std::array<double, 60> window{};          ///< counter: per-second increments
        std::array<std::int64_t, 60> window_s{};  ///< the second each slot belongs to
    };
    struct family {
        kind type = kind::counter;
        std::string help;
        std::vector<double> bounds;
        std::map<std::string, series> by_labels;  ///< key: rendered label set, e.g. {a="b"}
    };

    family& family_of(const std::string& name, kind k);

    mutable std::mutex mutex_;
    std::map<std::string, family> families_;
    std::vector<std::function<void(metrics&)>> refreshers_;
};

}  // namespace lienthong::core
