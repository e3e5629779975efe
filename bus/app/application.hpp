#pragma once
#include <memory>

#include "adapters/api/registry.hpp"
#include "config/config.hpp"
#include "routing/directory.hpp"

namespace lienthong::bus::app {

/// The only place that knows every part: builds them in dependency order from the config,
/// runs the server, and stops them in reverse order on SIGINT/SIGTERM.
class application final {
  public:
    /// Loads the directory, schemas and trust store. Throws config::config_error or
    /// std::runtime_error with a message naming the file or key at fault.
    /// `adapters` (filled by main) must outlive the application, which adds the `inbox` type to
    /// it (that adapter shares the application's inbox store).
    application(config::config cfg, adapters::registry& adapters);
    ~application();

    /// Blocks until SIGINT/SIGTERM; returns the process exit code.
    int run();

  private:
    struct parts;
    std::unique_ptr<parts> parts_;
};

}  // namespace lienthong::bus::app
