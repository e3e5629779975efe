#pragma once
// Query parameters of a request target, for the admin endpoints.
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace lienthong::bus::http::handlers {

/// The percent-decoded value of query parameter `name` ('+' is a space), "" when absent.
std::string query_param(std::string_view target, std::string_view name);

/// Query parameter `name` as a number clamped to [1, max]; `fallback` when absent, not a
/// number or 0.
std::size_t count_param(std::string_view target, std::string_view name, std::size_t fallback,
                        std::size_t max);

/// Query parameter `name` as a non-negative integer; `fallback` when absent or not a number.
std::int64_t integer_param(std::string_view target, std::string_view name, std::int64_t fallback);

/// Checks that each of `names` present in `target` is an integer the paged endpoints can use:
/// "limit" from 1, every other name from 0. Errors: invalid_request naming the first parameter
/// that is not (problem+json `field`), so `limit=abc` or `offset=-5` is a 400, not a default.
/// A limit above an endpoint's maximum is still clamped (documented in openapi.yaml).
core::result<void> check_numbers(std::string_view target,
                                 std::initializer_list<std::string_view> names);

}  // namespace lienthong::bus::http::handlers
