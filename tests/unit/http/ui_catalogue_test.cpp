// The console's two catalogues (bus/http/ui/i18n) hold the same keys, every value is filled, and
// every key the page and its scripts name is in them: no label can be left untranslated.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace {

const std::string ui_dir = std::string(LIENTHONG_SOURCE_DIR) + "/bus/http/ui";

std::string read(const std::string& path) {
    std::ifstream in(path);
    REQUIRE(in);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::map<std::string, std::string> catalogue(const std::string& lang) {
    std::map<std::string, std::string> out;
    const auto parsed = boost::json::parse(read(ui_dir + "/i18n/" + lang + ".json"));
    for (const auto& [k, v] : parsed.as_object()) {
        out[std::string(k)] = std::string(v.as_string());
    }
    return out;
}

}  // namespace

TEST_CASE("ui catalogues: Vietnamese and English hold the same keys - all filled", "[unit]") {
    const auto vi = catalogue("vi");
    const auto en = catalogue("en");
    for (const auto& [k, v] : vi) {
        INFO(k);
        CHECK(en.count(k) == 1);
        CHECK_FALSE(v.empty());
    }
    for (const auto& [k, v] : en) {
        INFO(k);
        CHECK(vi.count(k) == 1);
        CHECK_FALSE(v.empty());
    }
    // The terms of the field, and every status name of the message contract.
    CHECK(vi.at("app.heading").find("liên thông") != std::string::npos);
    CHECK(vi.at("agencies.heading") == "Đơn vị");
    CHECK(vi.at("agencies.state") == "trạng thái");
    for (const char* code : {"01", "02", "03", "04", "05", "06", "13", "15", "16"}) {
        INFO(code);
        CHECK(vi.count(std::string("status.") + code) == 1);
    }
}

TEST_CASE("ui catalogues: every key the page and its scripts use exists", "[unit]") {
    const auto vi = catalogue("vi");
    std::set<std::string> used;
    const std::regex in_html(R"re(data-i18n(?:-placeholder)?="([^"]+)")re");
    const auto html = read(ui_dir + "/index.html");
    for (std::sregex_iterator it(html.begin(), html.end(), in_html), end; it != end; ++it) {
        used.insert((*it)[1]);
    }
    const std::regex in_js(R"re(\bt\('([a-z_.]*[a-z_])')re");
    for (const auto& f : std::filesystem::directory_iterator(ui_dir + "/js")) {
        const auto js = read(f.path().string());
        for (std::sregex_iterator it(js.begin(), js.end(), in_js), end; it != end; ++it) {
            used.insert((*it)[1]);
        }
    }
    CHECK(used.size() > 60);
    for (const auto& k : used) {
        INFO(k);
        CHECK(vi.count(k) == 1);
    }
    // term() prefixes: every state, level and event kind the API sends has a label.
    for (const char* k : {"state.ok",          "state.backlog",       "state.failing",
                          "state.no_consumer", "state.dead_letters",  "level.province",
                          "level.department",  "level.district",      "level.commune",
                          "event.received",    "event.rejected",      "event.unconfirmed",
                          "event.queued",      "event.accepted",      "event.attempt",
                          "event.delivered",   "event.dead_lettered", "event.replayed",
                          "event.status",      "event.signatures",    "charts.failed_attempt"}) {
        INFO(k);
        CHECK(vi.count(k) == 1);
    }
}
