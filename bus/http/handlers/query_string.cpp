#include "http/handlers/query_string.hpp"

#include <algorithm>
#include <charconv>
#include <optional>

namespace lienthong::bus::http::handlers {

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

// The percent-decoded value of `name`, nullopt when the target has no `name=` pair.
std::optional<std::string> find_param(std::string_view target, std::string_view name) {
    const auto q = target.find('?');
    if (q == std::string_view::npos) {
        return std::nullopt;
    }
    auto rest = target.substr(q + 1);
    while (!rest.empty()) {
        const auto amp = rest.find('&');
        const auto pair = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
        const auto eq = pair.find('=');
        if (pair.substr(0, eq) != name || eq == std::string_view::npos) {
            continue;
        }
        std::string out;
        const auto v = pair.substr(eq + 1);
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (v[i] == '%' && i + 2 < v.size() && hex_value(v[i + 1]) >= 0 &&
                hex_value(v[i + 2]) >= 0) {
                out += static_cast<char>(hex_value(v[i + 1]) * 16 + hex_value(v[i + 2]));
                i += 2;
            } else {
                out += v[i] == '+' ? ' ' : v[i];
            }
        }
        return out;
    }
    return std::nullopt;
}

// `v` as a whole integer, nullopt when it is empty, not a number or has anything after it.
template <class Int>
std::optional<Int> whole_integer(std::string_view v) {
    Int n = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (v.empty() || ec != std::errc{} || end != v.data() + v.size()) {
        return std::nullopt;
    }
    return n;
}

}  // namespace

std::string query_param(std::string_view target, std::string_view name) {
    return find_param(target, name).value_or(std::string());
}

std::size_t count_param(std::string_view target, std::string_view name, std::size_t fallback,
                        std::size_t max) {
    const auto n = whole_integer<std::size_t>(query_param(target, name));
    return n && *n > 0 ? std::min(*n, max) : fallback;
}

std::int64_t integer_param(std::string_view target, std::string_view name, std::int64_t fallback) {
    const auto n = whole_integer<std::int64_t>(query_param(target, name));
    return n && *n >= 0 ? *n : fallback;
}

core::result<void> check_numbers(std::string_view target,
                                 std::initializer_list<std::string_view> names) {
    for (const auto name : names) {
        const auto v = find_param(target, name);
        if (!v) {
            continue;  // absent: the endpoint's default
        }
        const auto n = whole_integer<std::int64_t>(*v);
        const std::int64_t least = name == "limit" ? 1 : 0;
        if (!n || *n < least) {
            return core::fail(core::errc::invalid_request,
                              std::string(name) + " must be an integer from " +
                                  std::to_string(least) + ", not '" + *v + "'",
                              std::string(name));
        }
    }
    return {};
}

}  // namespace lienthong::bus::http::handlers
