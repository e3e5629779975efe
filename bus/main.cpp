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
    // One malloc arena for every thread. glibc otherwise gives busy threads arenas of their
    // own, and each keeps the peak of the packets it once held; a shared arena reuses the same
    // freed blocks for the next packet whichever thread takes it. Reused blocks need no fresh
    // pages, which a fixed 128 KiB mmap threshold (every large buffer its own mapping) paid for
    // at every packet. A/B on the bench's e2e run, 1 MB packets, 8 connections (issue 17): bus
    // CPU per document 7.6-8.4 -> 5.3-5.9 ms, peak RSS per MB in flight 3.0-3.3 -> 3.2-3.5;
    // 5 MB: 35 -> 27 ms, 2.7 -> 3.4; 20 KB: no difference in either.
    mallopt(M_ARENA_MAX, 1);
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
