#include "http/handlers/agency_tree.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>

#include "core/vietnamese.hpp"
#include "support/bus_process.hpp"

using namespace lienthong::bus;
using namespace lienthong::bus::http::handlers;

namespace {

routing::agency make(const std::string& code, const std::string& name, routing::agency_level l,
                     const std::string& parent) {
    routing::agency a;
    a.code = code;
    a.name = name;
    a.level = l;
    a.parent = parent;
    return a;
}

}  // namespace

TEST_CASE("agency tree: states from figures - the worst that applies", "[unit]") {
    CHECK(state_of({}, 10) == agency_state::ok);
    CHECK(state_of({10, 1, 0, 0, 0, 0, 0}, 10) == agency_state::backlog);
    CHECK(state_of({0, 1, 1, 0, 0, 0, 0}, 10) == agency_state::no_consumer);
    CHECK(state_of({0, 1, 1, 0, 0, 2, 0}, 10) == agency_state::dead_letters);
    CHECK(state_of({0, 1, 0, 3, 1, 2, 0}, 10) == agency_state::failing);
    CHECK(state_of({0, 1, 0, 3, 5, 0, 0}, 10) == agency_state::ok);  // recovered: more delivered
    CHECK(state_name(agency_state::no_consumer) == "no_consumer");
}

TEST_CASE("agency tree: a failing commune rolls up and comes first - search folds diacritics",
          "[unit]") {
    using routing::agency_level;
    const std::vector<routing::agency> agencies{
        make("P", "UBND tỉnh Nghệ An", agency_level::province, ""),
        make("D1", "UBND huyện Diễn Châu", agency_level::district, "P"),
        make("D2", "UBND huyện Nghi Lộc", agency_level::district, "P"),
        make("S1", "Sở Tài chính", agency_level::department, "P"),
        make("C1", "UBND xã Nghi Phong", agency_level::commune, "D2"),
        make("C2", "UBND xã Nghi Thái", agency_level::commune, "D2"),
    };
    std::map<std::string, agency_figures> own;
    own["C2"].failed = 4;
    own["C2"].ready = 3;
    own["D1"].ready = 20;
    const auto tree = build_tree(agencies, own, 10);
    CHECK(tree.at("C2").state == agency_state::failing);
    CHECK(tree.at("D2").state == agency_state::ok);
    CHECK(tree.at("D2").rollup == agency_state::failing);
    CHECK(tree.at("P").rollup == agency_state::failing);
    CHECK(tree.at("P").subtree.ready == 23);
    CHECK(tree.at("P").children == 3);
    CHECK(tree.at("D2").children == 2);

    auto codes = [](const agency_listing& l) {
        std::string out;
        for (const auto* n : l.page) {
            out += n->agency->code + " ";
        }
        return std::to_string(l.total) + ": " + out;
    };
    CHECK(codes(list_agencies(tree, {})) == "1: P ");
    // Under the province: the failing district first, then backlog, then by level and code.
    CHECK(codes(list_agencies(tree, {"", "", "P"})) == "3: D2 D1 S1 ");
    CHECK(codes(list_agencies(tree, {"", "", "D2"})) == "2: C2 C1 ");
    CHECK(codes(list_agencies(tree, {"", "nghi", ""})) == "3: D2 C2 C1 ");
    CHECK(codes(list_agencies(tree, {"", "NGHỆ AN", ""})) == "1: P ");
    CHECK(codes(list_agencies(tree, {"", "dien chau", ""})) == "1: D1 ");
    CHECK(codes(list_agencies(tree, {"C1,S1,nope", "", ""})) == "2: S1 C1 ");
    // Pages are bounded.
    CHECK(codes(list_agencies(tree, {"", "ubnd", "", 1, 2})) == "5: D2 C2 ");
}

TEST_CASE("agency tree: a 3000-agency province - the one failing commune surfaces at every level",
          "[unit]") {
    const auto path = lienthong::test::make_temp_dir("lienthong-province") + "/agencies.yaml";
    const auto command = std::string("python3 " LIENTHONG_SOURCE_DIR
                                     "/deploy/tools/generate-province.py --agencies 3000 --out ") +
                         path;
    REQUIRE(std::system(command.c_str()) == 0);
    const auto dir = routing::directory::load(path);
    REQUIRE(dir.agencies().size() == 3000);
    // The last commune written is deep in the tree: its whole chain turns failing.
    const routing::agency* failing = nullptr;
    for (const auto& a : dir.agencies()) {
        if (a.level == routing::agency_level::commune) {
            failing = &a;
        }
    }
    REQUIRE(failing != nullptr);
    std::map<std::string, agency_figures> own;
    own[failing->code].failed = 3;
    const auto tree = build_tree(dir.agencies(), own, 10);
    std::string parent;
    std::vector<std::string> chain;
    for (int depth = 0; depth < 6; ++depth) {
        const auto page = list_agencies(tree, {"", "", parent, 0, 50});
        REQUIRE_FALSE(page.page.empty());
        CHECK(page.page.size() <= 50);
        const auto* first = page.page.front();
        CHECK(first->rollup == agency_state::failing);
        chain.push_back(first->agency->code);
        if (first->agency->code == failing->code) {
            break;
        }
        parent = first->agency->code;
    }
    CHECK(chain.back() == failing->code);
    // Found by its name typed without diacritics, first among the matches.
    const auto folded = lienthong::core::fold_vietnamese(failing->name);
    const auto found = list_agencies(tree, {"", folded, "", 0, 200});
    REQUIRE_FALSE(found.page.empty());
    CHECK(found.page.size() <= 200);
    CHECK(found.page.front()->agency->code == failing->code);
}
