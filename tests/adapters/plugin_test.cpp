// Third-party adapter plugins: the example plugin (adapters/examples/log_plugin.c) is loaded
// through the C ABI, validated, created and delivers; broken plugins stop start-up clearly.
#include <dlfcn.h>
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "adapters/api/plugin_loader.hpp"
#include "support/bus_process.hpp"
#include "support/test_pki.hpp"

using namespace lienthong;
using namespace lienthong::adapters;
namespace fs = std::filesystem;

namespace {

delivery make_delivery(const std::string& id) {
    delivery d;
    d.id = id;
    d.document_id = "000.01.01.H41,2026/11/24,7/UBND";
    d.sender = test::commune1;
    d.recipients = {test::district1};
    d.packet = std::make_shared<const std::string>("<edXML>x</edXML>");
    return d;
}

std::string message_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "no exception";
}

}  // namespace

TEST_CASE("plugins: the example plugin is loaded - validated - created and delivers",
          "[adapters]") {
    registry r;
    CHECK(load_plugins(LIENTHONG_PLUGINS_DIR, r) == std::vector<std::string>{"example_log"});
    const auto* f = r.find("example_log");
    REQUIRE(f != nullptr);

    const auto dir = test::make_temp_dir("lienthong-plugin");
    const std::string out = dir + "/deliveries.log";
    std::vector<std::string> errors;
    f->validate({{"file", out}}, "agencies[1].subscriptions[0].settings", errors);
    CHECK(errors.empty());

    SECTION("invalid settings are reported with their path") {
        f->validate({{"fail_first", "many"}, {"colour", "red"}}, "s", errors);
        CHECK(errors ==
              std::vector<std::string>{"s.colour: unknown setting (known: file, fail_first)",
                                       "s.file: is required (the file to append to)",
                                       "s.fail_first: must be a non-negative integer"});
    }
    SECTION("delivers, and its failures come back as retryable with the plugin's reason") {
        auto a = f->create({{"file", out}, {"fail_first", "1"}});
        a->start();
        auto first = a->deliver(make_delivery("id-1"));
        CHECK(first.result == outcome::retryable_failure);
        CHECK(first.reason == "example_log: failing on purpose (1 of 1)");
        CHECK(a->deliver(make_delivery("id-1")).result == outcome::delivered);
        CHECK(a->deliver(make_delivery("id-2")).result == outcome::delivered);
        a->stop();
        CHECK(test::read_file(out) ==
              "id-1 000.01.01.H41 000.00.01.H41 16 000.01.01.H41,2026/11/24,7/UBND\n"
              "id-2 000.01.01.H41 000.00.01.H41 16 000.01.01.H41,2026/11/24,7/UBND\n");
    }
    fs::remove_all(dir);
}

TEST_CASE("plugins: a broken plugin folder stops start-up with the file named", "[adapters]") {
    const auto dir = test::make_temp_dir("lienthong-plugins");
    registry r;
    SECTION("not a shared object") {
        std::ofstream(dir + "/junk.so") << "not an ELF file";
        const auto m = message_of([&] { load_plugins(dir, r); });
        CHECK(m.find(dir + "/junk.so: cannot load") != std::string::npos);
    }
    SECTION("a shared library without the entry point") {
        Dl_info info{};  // any real library will do: the one holding SQLite
        REQUIRE(dladdr(reinterpret_cast<void*>(&sqlite3_libversion), &info) != 0);
        fs::copy_file(info.dli_fname, dir + "/other.so");
        CHECK(message_of([&] { load_plugins(dir, r); }) ==
              "plugin " + dir +
                  "/other.so: no lienthong_adapter_plugin_v1 entry point (see "
                  "adapters/api/plugin_abi.h)");
    }
    SECTION("the same type twice") {
        fs::copy_file(LIENTHONG_PLUGINS_DIR "/example_log.so", dir + "/one.so");
        fs::copy_file(LIENTHONG_PLUGINS_DIR "/example_log.so", dir + "/two.so");
        CHECK(message_of([&] { load_plugins(dir, r); }) ==
              "plugin " + dir + "/two.so: adapter type 'example_log' is already registered");
    }
    SECTION("a missing folder") {
        CHECK(message_of([&] { load_plugins(dir + "/nope", r); }).find("plugins.dir") !=
              std::string::npos);
    }
    fs::remove_all(dir);
}
