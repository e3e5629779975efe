#pragma once
// History kept by the tracking store itself (issue 18): per minute and per agency, how many
// documents were accepted, delivered, rejected (by problem type), dead-lettered, how many
// delivery attempts failed, and a histogram of delivery latency. The counts are added with an
// upsert in the store every instance shares, so several instances add up and nothing is lost on
// a restart; no Prometheus is needed for the console's charts.
//
// And the document index the console searches (subject words, addressees), kept beside the
// documents table.
#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lienthong::bus::store {

/// Metric names in the series tables (a stable vocabulary of the store, not Prometheus names).
namespace series_metric {
inline constexpr const char* accepted = "accepted";               ///< agency: the sender
inline constexpr const char* delivered = "delivered";             ///< agency: the recipient
inline constexpr const char* dead_lettered = "dead_lettered";     ///< agency: the recipient
inline constexpr const char* failed_attempt = "failed_attempt";   ///< agency: the recipient
inline constexpr std::string_view rejected_prefix = "rejected:";  ///< + problem type slug
inline constexpr std::string_view latency_prefix = "latency:";    ///< + bucket index, 2 digits
}  // namespace series_metric

inline constexpr std::int64_t minute_ms = 60'000;
/// How long per-minute counts are kept: the console shows the last week, and a day more covers
/// a week view that starts mid-hour. Older rows are deleted by the events of the first minute
/// of each hour (an indexed range delete, so no timer is needed and every instance may do it).
inline constexpr std::int64_t series_retention_ms = 8LL * 24 * 3'600'000;

/// The wall clock in ms since the Unix epoch (the store's timestamps). Thread-safe.
std::int64_t now_ms();

/// The LIKE pattern `%word%` for a folded subject word, with `%`, `_` and `\` escaped (SQLite's
/// search says `ESCAPE '\'`; backslash is PostgreSQL's default escape).
std::string contains_pattern(const std::string& word);

/// Whether an event at `time_ms` prunes the series (it falls in the first minute of an hour).
constexpr bool series_prune_due(std::int64_t time_ms) noexcept {
    return time_ms % 3'600'000 < minute_ms;
}

/// One store's pruning: the first event of an hour's first minute prunes, the others of that
/// minute need not run the same delete again. Thread-safe.
class series_pruning {
  public:
    /// series_prune_due(time_ms), and this store has not pruned in that hour yet.
    bool due(std::int64_t time_ms) const noexcept {
        return series_prune_due(time_ms) && last_hour_.load() != time_ms / 3'600'000;
    }
    /// The hour of `time_ms` is pruned.
    void done(std::int64_t time_ms) noexcept { last_hour_.store(time_ms / 3'600'000); }

  private:
    std::atomic<std::int64_t> last_hour_{-1};
};

/// Upper bounds (ms) of the delivery latency buckets (from the document's acceptance to its
/// delivery on one route); the last bucket has no bound.
inline constexpr std::array<std::int64_t, 13> latency_bounds_ms{
    50, 100, 200, 500, 1'000, 2'000, 5'000, 10'000, 30'000, 60'000, 300'000, 900'000, 3'600'000};

/// One count to add: `n` to (minute, agency, metric).
struct series_increment {
    std::int64_t minute = 0;  ///< start of the minute, ms since the epoch (UTC)
    std::string agency;
    std::string metric;
};

/// What a journey event adds to the series: nothing for most kinds; accepted, delivered,
/// rejected, attempt (a failed one), dead_lettered count for `agency`; a delivered event with a
/// known acceptance time (`created_ms` > 0) adds its latency bucket too. Pure.
std::vector<series_increment> series_increments(std::string_view kind, std::string_view code,
                                                const std::string& agency, std::int64_t time_ms,
                                                std::int64_t created_ms);

/// The latency bucket of `ms` (0 .. latency_bounds_ms.size()); negative counts as 0.
std::size_t latency_bucket(std::int64_t ms) noexcept;

/// The `p`-th percentile (0 < p <= 100) of a latency histogram, as the upper bound in ms of the
/// bucket that holds it (the last bucket reports its lower bound); 0 for an empty histogram.
std::int64_t latency_percentile(const std::vector<std::int64_t>& buckets, double p) noexcept;

/// A window of the series: `from_ms` .. `to_ms` (exclusive) in steps of `step_ms`, for one
/// agency or (`agency` empty) the whole province.
struct series_query {
    std::int64_t from_ms = 0;
    std::int64_t to_ms = 0;
    std::int64_t step_ms = minute_ms;
    std::string agency;
};

/// The sum of one metric in one step of a window (`step` from 0), or, from series_by_agency,
/// in the whole window for one agency (`step` 0).
struct series_count {
    std::int64_t step = 0;
    std::string agency;  ///< empty in a province-wide window
    std::string metric;
    std::int64_t count = 0;
};

/// A search of the documents (the console's document finder). Empty fields do not filter;
/// `subject_words` must all appear (diacritics and case ignored); newest first.
struct document_query {
    std::string document_id;                 ///< edXML DocumentId, exact
    std::string sender;                      ///< From/OrganId, exact
    std::string addressee;                   ///< one of the recipients, exact
    std::vector<std::string> subject_words;  ///< already folded (routing::fold_vietnamese)
    std::int64_t from_ms = 0;                ///< created at or after; 0 = no bound
    std::int64_t to_ms = 0;                  ///< created before; 0 = no bound
    std::size_t offset = 0;
    std::size_t limit = 50;  ///< callers clamp it; the store never returns more
};

}  // namespace lienthong::bus::store
