#pragma once
// Helpers shared by the config tests: write a config file, collect load_config's errors.
#include <fstream>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "support/bus_process.hpp"

namespace lienthong::test {

inline std::string write_config(const std::string& text) {
    const auto path = make_temp_dir("lienthong-config") + "/bus.yaml";
    std::ofstream(path) << text;
    return path;
}

/// Every "key.path: message" load_config reports for `text` (empty when it loads).
inline std::vector<std::string> errors_of(const std::string& text) {
    try {
        bus::config::load_config(write_config(text));
    } catch (const bus::config::config_error& e) {
        return e.errors();
    }
    return {};
}

inline bool has_error(const std::vector<std::string>& errors, const std::string& prefix) {
    for (const auto& e : errors) {
        if (e.rfind(prefix, 0) == 0) {
            return true;
        }
    }
    return false;
}

}  // namespace lienthong::test
