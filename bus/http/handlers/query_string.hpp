#pragma once
// Query parameters of a request target, for the admin endpoints.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace lienthong::bus::http::handlers {

/// The percent-decoded value of query parameter `name` ('+' is a space), "" when absent.
std::string query_param(std::string_view target, std::string_view name);

/// Query parameter `name` as a number clamped to [1, max]; `fallback` when absent, not a
/// number or 0.
std::size_t count_param(std::string_view target, std::string_view name, std::size_t fallback,
                        std::size_t max);

/// Query parameter `name` as a non-negative integer; `fallback` when absent or not a number.
std::int64_t integer_param(std::string_view target, std::string_view name, std::int64_t fallback);

}  // namespace lienthong::bus::http::handlers
