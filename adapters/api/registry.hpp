#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "adapters/api/adapter.hpp"

namespace lienthong::adapters {

/// Factories keyed by the config `type` string. Filled explicitly from main (no static
/// self-registration, which the linker may drop from static libraries).
class registry final {
  public:
    /// Throws std::logic_error on a duplicate type name (a programming error).
    void add(std::string type, std::unique_ptr<adapter_factory> factory);
    /// nullptr when unknown.
    const adapter_factory* find(const std::string& type) const;
    std::vector<std::string> types() const;
    /// "unknown adapter type 'x' (known: a, b)" for start-up errors.
    std::string unknown_type_message(const std::string& type) const;
    /// Checks one configured use of an adapter: `type` must be registered and its factory must
    /// accept `s`. Appends every problem to `errors`, named by its key path under `path` (the
    /// entry's own path: "<path>.type: unknown adapter type ...", "<path>.settings.url: ...").
    void validate(const std::string& type, const settings& s, const std::string& path,
                  std::vector<std::string>& errors) const;

  private:
    std::map<std::string, std::unique_ptr<adapter_factory>> factories_;
};

}  // namespace lienthong::adapters
