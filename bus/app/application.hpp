#pragma once
#include <memory>

#include "config/config.hpp"

namespace lienthong::bus::app {

/// The only place that knows every part: builds them in dependency order from the config,
/// runs the server, and stops them in reverse order on SIGINT/SIGTERM.
class application final {
public:
    /// Loads the directory, schemas and trust store. Throws config::config_error or
    /// std::runtime_error with a message naming the file or key at fault.
    explicit application(config::config cfg);
    ~application();

    /// Blocks until SIGINT/SIGTERM; returns the process exit code.
    int run();

private:
    struct parts;
    std::unique_ptr<parts> parts_;
};

}  // namespace lienthong::bus::app
