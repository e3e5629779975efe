// deploy/tools/generate-province.py: the province-sized directory that the scale tests, the
// console tests and operators start from must load, keep the demo agencies, and have the shape
// of a real province.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <map>
#include <set>

#include "routing/directory.hpp"
#include "support/bus_process.hpp"

using namespace lienthong;

namespace {

std::string generate(int agencies, const std::string& extra = "") {
    const auto path = test::make_temp_dir("lienthong-province") + "/agencies.yaml";
    const auto command = std::string("python3 " LIENTHONG_SOURCE_DIR
                                     "/deploy/tools/generate-province.py --agencies ") +
                         std::to_string(agencies) + " --out " + path + " " + extra;
    REQUIRE(std::system(command.c_str()) == 0);
    return path;
}

}  // namespace

TEST_CASE("province generator: 3000 agencies over four levels load as a directory", "[unit]") {
    const auto dir = bus::routing::directory::load(generate(3000));
    REQUIRE(dir.agencies().size() == 3000);
    std::map<bus::routing::agency_level, int> per_level;
    std::set<std::string> names;
    for (const auto& a : dir.agencies()) {
        ++per_level[a.level];
        names.insert(a.name);
        REQUIRE(a.subscriptions.size() == 1);
        CHECK(a.subscriptions[0].type == "inbox");
        if (a.level != bus::routing::agency_level::province) {
            CHECK(dir.find(a.parent) != nullptr);
        }
    }
    CHECK(per_level[bus::routing::agency_level::province] == 1);
    CHECK(per_level[bus::routing::agency_level::department] >= 20);
    CHECK(per_level[bus::routing::agency_level::district] >= 21);
    CHECK(per_level[bus::routing::agency_level::commune] >= 2000);
    CHECK(names.size() == 3000);  // names are distinct, so a search by name finds one agency
    // The demo's agencies keep their codes, names and parents (demo tokens still apply).
    const auto demo =
        bus::routing::directory::load(LIENTHONG_SOURCE_DIR "/deploy/config/agencies.yaml");
    for (const auto& a : demo.agencies()) {
        const auto* same = dir.find(a.code);
        REQUIRE(same != nullptr);
        CHECK(same->name == a.name);
        CHECK(same->parent == a.parent);
        CHECK(same->level == a.level);
    }
}

TEST_CASE("province generator: webhook subscriptions and a small province", "[unit]") {
    const auto dir = bus::routing::directory::load(
        generate(10, "--webhook http://127.0.0.1:9/hook --envelope-signature if_present"));
    REQUIRE(dir.agencies().size() == 10);
    for (const auto& a : dir.agencies()) {
        REQUIRE(a.subscriptions.size() == 1);
        CHECK(a.subscriptions[0].type == "http_webhook");
        CHECK(a.subscriptions[0].settings.at("url") == "http://127.0.0.1:9/hook");
        CHECK(a.envelope.policy == bus::routing::envelope_policy::if_present);
    }
}
