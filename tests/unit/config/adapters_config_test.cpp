// The bus config's `adapters:` section (inbox store file, plugins folder).
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
    SECTION("absent: the inbox file sits next to the config, no plugins") {
        const auto path = write_config(base);
        const auto c = bus::config::load_config(path);
        CHECK(c.adapters.inbox_path ==
              (fs::path(path).parent_path() / "lienthong-inbox.db").string());
        CHECK(c.adapters.plugins_dir.empty());
    }
    SECTION("valid") {
        const auto c = bus::config::load_config(
            write_config(base + "adapters:\n  inbox_path: /var/lib/x/inbox.db\n  plugins_dir: " +
                         LIENTHONG_PLUGINS_DIR + "\n"));
        CHECK(c.adapters.inbox_path == "/var/lib/x/inbox.db");
        CHECK(c.adapters.plugins_dir == LIENTHONG_PLUGINS_DIR);
    }
    SECTION("invalid") {
        CHECK(errors_of(base + "adapters:\n  plugins_dir: /nonexistent/plugins\n") ==
              std::vector<std::string>{
                  "adapters.plugins_dir: folder '/nonexistent/plugins' does not exist"});
        CHECK(errors_of(base + "adapters:\n  inbox_path: ''\n") ==
              std::vector<std::string>{"adapters.inbox_path: must not be empty"});
        CHECK(errors_of(base + "adapters:\n  plugin_dir: x\n")
                  .at(0)
                  .rfind("adapters.plugin_dir: unknown key", 0) == 0);
    }
}
