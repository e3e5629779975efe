// Link-only check of the layering (ARCHITECTURE.md): the adapters library, an outer wing, links
// with the core alone. This program uses every built-in adapter type, the plugin loader and the
// national-axis inbound poller; if any of them needed a symbol of the bus library, this target
// would fail to link and the build with it.
#include <iostream>

#include "adapters/api/plugin_loader.hpp"
#include "adapters/api/registry.hpp"
#include "adapters/builtin.hpp"
#include "adapters/national_axis/inbound_poller.hpp"

int main(int argc, char** argv) {
    lienthong::adapters::registry r;
    lienthong::adapters::register_builtin_adapters(r);
    if (argc > 1) {
        (void)lienthong::adapters::load_plugins(argv[1], r);
    }
    auto cfg = std::make_shared<lienthong::adapters::national_axis::config>();
    lienthong::adapters::national_axis::inbound_poller poller(
        cfg, [](auto, auto, const std::string&) { return lienthong::adapters::delivery_result{}; });
    std::cout << "adapters link alone\n";
    return 0;
}
