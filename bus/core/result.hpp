#pragma once
// A tiny result type for module boundaries on the data path (std::expected is C++23).
#include <cassert>
#include <optional>
#include <utility>
#include <variant>

#include "core/error.hpp"

namespace lienthong::core {

template <class T>
class [[nodiscard]] result {
  public:
    result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
    result(failure f) : v_(std::in_place_index<1>, std::move(f)) {}

    bool has_value() const noexcept { return v_.index() == 0; }
    explicit operator bool() const noexcept { return has_value(); }

    T& value() & {
        assert(has_value());
        return std::get<0>(v_);
    }
    const T& value() const& {
        assert(has_value());
        return std::get<0>(v_);
    }
    T&& value() && {
        assert(has_value());
        return std::get<0>(std::move(v_));
    }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const failure& error() const& {
        assert(!has_value());
        return std::get<1>(v_);
    }
    failure&& error() && {
        assert(!has_value());
        return std::get<1>(std::move(v_));
    }

  private:
    std::variant<T, failure> v_;
};

template <>
class [[nodiscard]] result<void> {
  public:
    result() = default;
    result(failure f) : f_(std::move(f)) {}

    bool has_value() const noexcept { return !f_.has_value(); }
    explicit operator bool() const noexcept { return has_value(); }
    const failure& error() const& {
        assert(f_);
        return *f_;
    }
    failure&& error() && {
        assert(f_);
        return std::move(*f_);
    }

  private:
    std::optional<failure> f_;
};

}  // namespace lienthong::core
