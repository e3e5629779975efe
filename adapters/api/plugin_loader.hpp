#pragma once
/// Third-party adapters as shared objects (adapters/api/plugin_abi.h; adapters/README.md shows how
/// to write one). Start-up only.
#include <string>
#include <vector>

#include "adapters/api/registry.hpp"

namespace lienthong::adapters {

/// Loads every `*.so` of `dir` (in name order) and registers each plugin's adapter under its
/// `type`. Returns the types registered. Throws std::runtime_error naming the file when a plugin
/// cannot be loaded, lacks `lienthong_adapter_plugin_v1`, declares another ABI version, has a
/// malformed description, or claims a type that is already registered.
std::vector<std::string> load_plugins(const std::string& dir, registry& r);

}  // namespace lienthong::adapters
