// The bus config's `adapters:` section (plugins folder; the inbox file key is gone).
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "config/config.hpp"
#include "support/bus_process.hpp"
#include "unit/config/config_test_support.hpp"

using namespace lienthong;
using test::errors_of;
using test::has_error;
using test::write_config;
namespace fs = std::filesystem;

TEST_CASE("adapters config: defaults - relative paths and every bad key with its path", "[unit]") {
    const std::string base = test::test_config(5999);
    SECTION("absent: no plugins") {
        const auto c = bus::config::load_config(write_config(base));
        CHECK(c.adapters.plugins_dir.empty());
    }
    SECTION("valid") {
        const auto c = bus::config::load_config(
            write_config(base + "adapters:\n  plugins_dir: " + LIENTHONG_PLUGINS_DIR + "\n"));
        CHECK(c.adapters.plugins_dir == LIENTHONG_PLUGINS_DIR);
    }
    SECTION("invalid") {
        CHECK(errors_of(base + "adapters:\n  plugins_dir: /nonexistent/plugins\n") ==
              std::vector<std::string>{
                  "adapters.plugins_dir: folder '/nonexistent/plugins' does not exist"});
        // The inbox moved into the tracking store (issue 15): the old key is refused by name.
        const auto moved = errors_of(base + "adapters:\n  inbox_path: /var/lib/x/inbox.db\n");
        REQUIRE(moved.size() == 1);
        CHECK(moved[0].rfind("adapters.inbox_path: no longer used: the pull inbox is kept in the "
                             "tracking store",
                             0) == 0);
        CHECK(errors_of(base + "adapters:\n  plugin_dir: x\n")
                  .at(0)
                  .rfind("adapters.plugin_dir: unknown key", 0) == 0);
    }
}
