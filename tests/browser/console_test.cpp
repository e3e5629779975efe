// The operators' console in headless Chromium, in Vietnamese and in English: a commune whose
// webhook points at a dead port fails and dead-letters; it comes first in the agency tree (and
// its district and the province with it), in a search typed without diacritics, and in its
// chart; documents are found by subject words; no label is left untranslated. Each view is
// saved as a screenshot in <build>/tests/browser-artifacts.

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <fstream>
#include <regex>
#include <thread>

#include "support/bus_process.hpp"
#include "support/http_client.hpp"
#include "support/rabbitmq.hpp"
#include "support/test_pki.hpp"
#include "support/webdriver.hpp"
#include "support/webhook_receiver.hpp"

using namespace lienthong;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

/// The demo province (deploy/config/agencies.yaml's names) with the given subscriptions.
std::string demo_directory(const std::string& ok_url, const std::string& dead_url) {
    const std::string text =
        "agencies:\n"
        "  - {code: 000.00.00.H41, name: UBND tỉnh Nghệ An, level: province}\n"
        "  - code: 000.00.01.H41\n    name: UBND huyện Nghi Lộc\n    level: district\n"
        "    parent: 000.00.00.H41\n    subscriptions:\n" +
        test::webhook_subscription(ok_url) +
        "  - {code: 000.00.02.H41, name: UBND huyện Diễn Châu, level: district, parent: "
        "000.00.00.H41}\n"
        "  - {code: 000.01.01.H41, name: UBND xã Nghi Phong, level: commune, parent: "
        "000.00.01.H41}\n"
        "  - code: 000.02.01.H41\n    name: UBND xã Nghi Thái\n    level: commune\n"
        "    parent: 000.00.01.H41\n    subscriptions:\n" +
        test::webhook_subscription(dead_url) +
        "  - {code: 000.01.02.H41, name: UBND xã Diễn Kim, level: commune, parent: "
        "000.00.02.H41}\n";
    const auto path = test::make_temp_dir("lienthong-agencies") + "/agencies.yaml";
    std::ofstream(path) << text;
    return path;
}

/// The sample from commune1 to `to`, numbered so that each is a new document.
std::string packet_to(const std::string& to, int number) {
    auto text = test::read_file(test::sample_path("edoc-new.edxml"));
    text = std::regex_replace(text, std::regex("<OrganId>000.00.01.H41</OrganId>"),
                              "<OrganId>" + to + "</OrganId>");
    text = std::regex_replace(text, std::regex("125/UBND-VP"), std::to_string(number) + "/UBND-VP");
    return test::sign_bytes(text, test::agency_key(test::commune1),
                            test::agency_chain(test::commune1));
}

std::string text_of(test::webdriver& b, const std::string& script) {
    return json::value_to<std::string>(b.run(script));
}

/// The page's labels that are not from the catalogue of `lang`: visible text of headings,
/// table heads, buttons, labels, placeholders and states that no catalogue message (its {x}
/// placeholders matching anything) produces, plus any visible text outside the data cells of
/// tables that is a message of the other language only, or a missing key (⟦key⟧).
std::vector<std::string> untranslated(test::webdriver& b, const std::string& lang) {
    const auto other = lang == "vi" ? "en" : "vi";
    return json::value_to<std::vector<std::string>>(b.run(
        "const load = (l) => { const x = new XMLHttpRequest(); x.open('GET', 'i18n/' + l + "
        "'.json', false); x.send(); return JSON.parse(x.responseText); };"
        "const mine = load('" +
        lang + "'), theirs = load('" + other +
        "');"
        "const esc = (s) => s.replace(/[.*+?^$()|[\\]\\\\]/g, '\\\\$&');"
        "const patterns = Object.values(mine).map((m) => new RegExp('^' + "
        "esc(m).replace(/\\{\\w+\\}/g, '.*') + '$', 's'));"
        "const mineValues = new Set(Object.values(mine));"
        "const foreign = new Set(Object.values(theirs).filter((v) => !mineValues.has(v)));"
        "const bad = [];"
        "const visible = (el) => el && el.getClientRects().length > 0;"
        "const labels = 'h1, h2 > span[data-i18n], h3, th, button:not(.toggle), label > span, "
        ".state, td.kind, "
        "#connection, #queues-shown, #dead-depth, #agencies-count, #latency, #documents-count';"
        "for (const el of document.querySelectorAll(labels)) {"
        "  const t = el.textContent.trim();"
        "  if (t && visible(el) && !patterns.some((p) => p.test(t))) { bad.push(t); } }"
        "for (const el of document.querySelectorAll('input[placeholder]')) {"
        "  if (!mineValues.has(el.placeholder)) { bad.push('placeholder ' + el.placeholder); } }"
        "const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);"
        "for (let n = walk.nextNode(); n; n = walk.nextNode()) {"
        "  const t = n.textContent.trim();"
        "  const p = n.parentElement;"
        "  if (!t || !visible(p) || p.closest('select') || p.closest('td:not(.state):not(.kind)'))"
        "  { continue; }"
        "  if (foreign.has(t) || t.includes('\\u27e6')) { bad.push(t); } }"
        "if (document.title !== mine['app.title']) { bad.push('title ' + document.title); }"
        "return bad;"));
}

}  // namespace

TEST_CASE("console: a failing agency comes first in both languages - charts - documents",
          "[browser]") {
    test::webhook_receiver receiver;
    const auto dead_url = "http://127.0.0.1:" + std::to_string(test::unused_port()) + "/gone";
    const auto directory = demo_directory(receiver.url("district1"), dead_url);
    test::bus_process bus(
        test::delivery_config(test::test_amqp_port(), directory,
                              "ui_dir: " + std::string(LIENTHONG_SOURCE_DIR) +
                                  "/bus/http/ui\ndelivery:\n  retry_schedule_ms: [100]\n"));
    const auto commune2 = std::string(test::commune2);
    // One document delivered to the district, two to the commune behind the dead port.
    REQUIRE(test::post_document(bus.port(), test::token_of(test::commune1),
                                packet_to(test::district1, 201))
                .status == 202);
    for (int n : {202, 203}) {
        REQUIRE(
            test::post_document(bus.port(), test::token_of(test::commune1), packet_to(commune2, n))
                .status == 202);
    }
    REQUIRE(receiver.wait_delivered(1, 20s));
    const auto artifacts = test::browser_artifacts_dir();

    test::webdriver browser("vi");
    browser.go("http://127.0.0.1:" + std::to_string(bus.port()) + "/ui/");
    REQUIRE(browser.wait_until("document.body.dataset.ready === '1'"));
    CHECK(text_of(browser, "return document.documentElement.lang;") == "vi");
    CHECK(text_of(browser, "return document.querySelector('#login button').textContent;") ==
          "Kết nối");
    browser.type(browser.find("#token"), test::admin_token());
    browser.click(browser.find("#login button"));

    // The tree: the province, then its worst district (Nghi Lộc, because of its commune) first.
    INFO(bus.log());
    REQUIRE(browser.wait_until(
        "document.querySelector(\"#agencies tr[data-agency='000.00.01.H41']\")"
        " && document.querySelector(\"#agencies tr[data-agency='000.00.01.H41']\")"
        ".dataset.state === 'failing'",
        300));
    const auto order = json::value_to<std::vector<std::string>>(browser.run(
        "return [...document.querySelectorAll('#agencies tbody tr')].map(tr => tr.dataset.agency"
        " + ' ' + tr.dataset.state);"));
    REQUIRE(order.size() >= 3);
    CHECK(order[0] == "000.00.00.H41 failing");
    CHECK(order[1] == "000.00.01.H41 failing");
    CHECK(text_of(browser,
                  "return document.querySelector(\"#agencies tr[data-agency="
                  "'000.00.01.H41'] td\").textContent;")
              .find("UBND huyện Nghi Lộc") != std::string::npos);
    CHECK(text_of(browser,
                  "return document.querySelector(\"#agencies tr[data-agency="
                  "'000.00.01.H41'] td.state\").textContent;") == "đang lỗi");
    CHECK(untranslated(browser, "vi") == std::vector<std::string>{});
    browser.screenshot(artifacts + "/console-vi-tree.png");

    // Search without diacritics: the failing commune first.
    browser.type(browser.find("#agency-q"), "xa nghi");  // "xã Nghi ..."
    browser.click(browser.find("#agency-search button"));
    REQUIRE(
        browser.wait_until("document.querySelector('#agencies tbody tr') && document."
                           "querySelector('#agencies tbody tr').dataset.agency === '" +
                           commune2 + "'"));
    CHECK(text_of(browser, "return document.querySelector('#agencies tbody tr').dataset.state;") ==
          "failing");
    browser.screenshot(artifacts + "/console-vi-search.png");

    // Its chart: the failed attempts and dead letters of this agency.
    browser.click(browser.find("#agencies tbody tr button.chart-agency"));
    REQUIRE(browser.wait_until("document.getElementById('chart-scope').dataset.agency === '" +
                               commune2 + "'"));
    REQUIRE(browser.wait_until(
        "JSON.parse(document.getElementById('chart-hour').dataset.metrics || '{}')"
        ".dead_lettered >= 2",
        300));
    const auto metrics = json::parse(
        text_of(browser, "return document.getElementById('chart-hour').dataset.metrics;"));
    CHECK(metrics.at("failed_attempt").to_number<int>() >= 2);
    CHECK(metrics.at("delivered").to_number<int>() == 0);
    CHECK(text_of(browser, "return document.getElementById('charts-error').textContent;") == "");
    browser.run("document.getElementById('charts-view').scrollIntoView();");
    browser.screenshot(artifacts + "/console-vi-chart.png");

    // Documents by subject words typed without diacritics; the journey of the first.
    browser.type(browser.find("#doc-subject"), "thu hoach lua");
    browser.type(browser.find("#doc-addressee"), commune2);
    browser.click(browser.find("#document-search button"));
    REQUIRE(browser.wait_until("document.querySelectorAll('#documents tbody tr').length === 2"));
    browser.click(browser.find("#documents tbody tr a"));
    REQUIRE(browser.wait_until("document.getElementById('journey-state')"));
    REQUIRE(browser.wait_until(
        "[...document.querySelectorAll('#journey tbody tr')].some(tr => tr.dataset.kind === "
        "'dead_lettered')"));
    CHECK_FALSE(browser.find("#journey button.replay").empty());
    CHECK(untranslated(browser, "vi") == std::vector<std::string>{});
    browser.run("document.getElementById('documents-view').scrollIntoView();");
    browser.screenshot(artifacts + "/console-vi-documents.png");

    // The switch: English, remembered across a reload.
    browser.run(
        "const s = document.getElementById('lang'); s.value = 'en';"
        "s.dispatchEvent(new Event('change'));");
    REQUIRE(browser.wait_until("document.documentElement.lang === 'en'"));
    browser.go("http://127.0.0.1:" + std::to_string(bus.port()) + "/ui/");
    REQUIRE(browser.wait_until("document.body.dataset.ready === '1'"));
    REQUIRE(browser.wait_until("document.body.dataset.refreshed"));
    CHECK(text_of(browser, "return document.getElementById('lang').value;") == "en");
    CHECK(text_of(browser,
                  "return document.querySelector('#agencies-view h2 span')"
                  ".textContent;") == "Agencies");
    REQUIRE(
        browser.wait_until("document.querySelector(\"#agencies tr[data-agency="
                           "'000.00.01.H41'] td.state\").textContent === 'failing'"));
    CHECK(untranslated(browser, "en") == std::vector<std::string>{});
    browser.screenshot(artifacts + "/console-en.png");
}

TEST_CASE("console: the agency API answers problems first - and problem titles in Vietnamese",
          "[browser]") {
    test::webhook_receiver receiver;
    const auto dead_url = "http://127.0.0.1:" + std::to_string(test::unused_port()) + "/gone";
    test::bus_process bus(
        test::delivery_config(test::test_amqp_port(), demo_directory(receiver.url("d"), dead_url),
                              "ui_dir: " + std::string(LIENTHONG_SOURCE_DIR) + "/bus/http/ui\n"));
    const std::vector<std::pair<std::string, std::string>> admin{
        {"Authorization", "Bearer " + test::admin_token()}};
    auto r = test::http_call(static_cast<unsigned short>(bus.port()), "GET",
                             "/v1/admin/agencies?q=dien%20chau", "", admin);
    REQUIRE(r.status == 200);
    const auto body = json::parse(r.body).as_object();
    CHECK(body.at("total") == 1);
    CHECK(body.at("agencies").as_array().at(0).at("name") == "UBND huyện Diễn Châu");
    CHECK(body.at("agencies").as_array().at(0).at("level") == "district");
    // Pages are bounded whatever the caller asks.
    for (const char* target :
         {"/v1/admin/agencies?limit=100000", "/v1/admin/documents?limit=5000"}) {
        auto page =
            test::http_call(static_cast<unsigned short>(bus.port()), "GET", target, "", admin);
        REQUIRE(page.status == 200);
        CHECK(json::parse(page.body).at("limit") == 200);
    }
    auto vi = test::http_call(static_cast<unsigned short>(bus.port()), "GET",
                              "/v1/admin/series?range=year", "",
                              {{"Authorization", "Bearer " + test::admin_token()},
                               {"Accept-Language", "vi-VN,vi;q=0.9,en;q=0.5"}});
    CHECK(vi.status == 400);
    const auto problem = json::parse(vi.body).as_object();
    CHECK(problem.at("type") == "invalid-request");
    CHECK(problem.at("title") == "Yêu cầu không hợp lệ");
    CHECK(problem.at("field") == "range");
    auto chart =
        test::http_call(static_cast<unsigned short>(bus.port()), "GET", "/vendor/chart.js");
    CHECK(chart.status == 200);  // Debian's libjs-chart.js, installed by tests/run.sh
}
