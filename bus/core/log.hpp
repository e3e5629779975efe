#pragma once
// Structured logs: one JSON object per line on stderr (time, level, event, then fields such as
// document_id and route), so one document can be followed with grep.
#include <initializer_list>
#include <string_view>
#include <utility>

namespace lienthong::core {

enum class log_level { debug, info, warn, error };

using log_field = std::pair<std::string_view, std::string_view>;

/// Thread-safe: each line is written with a single write(2).
void log(log_level level, std::string_view event, std::initializer_list<log_field> fields = {});

}  // namespace lienthong::core
