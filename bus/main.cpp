// lienthong-bus: parse arguments, load and validate the configuration, run the application.
#include <malloc.h>

#include <cstring>
#include <iostream>
#include <string>

#include "adapters/api/plugin_loader.hpp"
#include "adapters/api/registry.hpp"
#include "adapters/builtin.hpp"
#include "app/application.hpp"
#include "app/check_config.hpp"
#include "config/config.hpp"
#include "core/log.hpp"
#include "crypto/xmlsec_library.hpp"

namespace {

/// Exit status 2 with the usage, after what was wrong with the arguments when that is known.
int usage(const std::string& problem = {}) {
    if (!problem.empty()) {
        std::cerr << "lienthong-bus: " << problem << '\n';
    }
    std::cerr << "usage: lienthong-bus --config FILE [--check-config]\n";
    return 2;
}

}  // namespace

int main(int argc, char* argv[]) {
    // glibc raises its mmap threshold each time a large block is freed (up to 32 MiB); packet
    // buffers then come from per-thread arenas that keep the memory after the packet is gone.
    // Fixed at 128 KiB, every buffer of a large packet is its own mapping, returned when freed:
    // the bench's peak RSS per MB in flight at 1 MB went from 5.4 to 2.8 (issue 17). The price
    // is fresh pages to fault in: bus CPU per 1 MB document 15.9 -> 19.6 ms. Memory that stays
    // bounded under bursts of large packets is worth more to a bus than that CPU.
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    std::string config_path;
    bool check_only = false;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
            config_path = argv[++i];
        } else if (std::strcmp(argv[i], "--check-config") == 0) {
            check_only = true;
        } else if (std::strcmp(argv[i], "--config") == 0) {
            return usage("--config needs a FILE");
        } else {
            return usage(std::string("unknown option '") + argv[i] + "'");
        }
    }
    if (config_path.empty()) {
        return usage("--config FILE is required");
    }
    try {
        lienthong::bus::crypto::xmlsec_library xmlsec;
        auto cfg = lienthong::bus::config::load_config(config_path);
        lienthong::adapters::registry adapters;
        lienthong::adapters::register_builtin_adapters(adapters);
        if (!cfg.adapters.plugins_dir.empty()) {
            // A broken plugin stops start-up (std::runtime_error naming the file).
            for (const auto& type :
                 lienthong::adapters::load_plugins(cfg.adapters.plugins_dir, adapters)) {
                lienthong::core::log(lienthong::core::log_level::info, "adapter.plugin_loaded",
                                     {{"type", type}, {"dir", cfg.adapters.plugins_dir}});
            }
        }
        if (check_only) {
            // Validation only: nothing is connected, bound or opened.
            lienthong::bus::app::check_config(cfg, adapters);
            std::cout << "configuration OK: " << config_path << "\n";
            return 0;
        }
        lienthong::bus::app::application app(std::move(cfg), adapters);
        return app.run();
    } catch (const lienthong::bus::config::config_error& e) {
        std::cerr << config_path << ": " << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "lienthong-bus: " << e.what() << "\n";
        return 1;
    }
}
