#pragma once
#include "adapters/api/registry.hpp"

namespace lienthong::adapters {

/// Registers every built-in adapter type: `directory_drop`, `http_webhook`, `national_axis`.
/// This is the one place that names them; the bus sees them only through the registry. (`inbox`
/// is registered by the app, which owns the inbox store it shares with /v1/inbox.) Throws
/// std::logic_error when one is registered twice. Call once, from main, before the config check.
void register_builtin_adapters(registry& r);

}  // namespace lienthong::adapters
