#pragma once
#include <functional>

#include "http/router.hpp"

namespace lienthong::bus::http::handlers {

/// GET /healthz: the process is up.
endpoint healthz();
/// GET /readyz: 200 when `ready()` (broker connected, tracking store reachable), 503 otherwise.
endpoint readyz(std::function<bool()> ready);

}  // namespace lienthong::bus::http::handlers
