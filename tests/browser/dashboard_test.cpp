// The operators' dashboard end to end in headless Chromium (Debian's chromium + chromium-driver,
// installed by tests/run.sh), driven through chromedriver's W3C WebDriver HTTP API: the page
// loads from the bus, shows a real queue, lists a dead letter, and its Replay button gets the
// document delivered.

#include <algorithm>
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
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

TEST_CASE("dashboard: an operator sees the queues - replays a dead letter and sees it delivered",
          "[browser]") {
    test::webhook_receiver receiver;
    const auto directory = test::write_directory(
        {{test::district1, test::webhook_subscription(receiver.url("district1"))}});
    test::bus_process bus(
        test::delivery_config(test::test_amqp_port(), directory,
                              "ui_dir: " + std::string(LIENTHONG_SOURCE_DIR) + "/bus/http/ui\n"));
    const auto route = std::string(test::district1) + ".http_webhook";
    receiver.always_fail(400);  // permanent failure: straight to the dead-letter queue
    const auto packet = test::signed_sample(test::sample_path("edoc-new.edxml"), test::commune1);
    auto posted = test::post_document(bus.port(), test::token_of(test::commune1), packet);
    REQUIRE(posted.status == 202);
    const std::string id(json::parse(posted.body).at("id").as_string());

    test::webdriver browser;  // English (en-US)
    const auto base = "http://127.0.0.1:" + std::to_string(bus.port());
    browser.go(base + "/ui/");
    const auto token_field = browser.wait_for("#token");
    REQUIRE_FALSE(token_field.empty());
    browser.type(token_field, test::admin_token());
    browser.click(browser.find("#login button"));

    // A real queue of this bus, with its consumer.
    const auto queue_row = browser.wait_for("#queues tr[data-route='" + route + "']");
    REQUIRE_FALSE(queue_row.empty());
    CHECK(json::value_to<std::string>(
              browser.run("return document.querySelector(\"#queues tr[data-route='" + route +
                          "'] td.consumers\").textContent;")) == "1");  // its consumer

    // The dead letter appears (the page refreshes itself every 2 s), and Replay delivers it.
    const auto replay = browser.wait_for("#dead-letters tr[data-id='" + id + "'] button.replay");
    INFO(bus.log());
    REQUIRE_FALSE(replay.empty());
    receiver.always_fail(0);
    browser.click(replay);
    REQUIRE(receiver.wait_delivered(1, 20s));
    CHECK(receiver.delivered().at(0).id == id);
    // The page shows the API's answer (which may arrive after the delivery itself).
    std::string result;
    for (int i = 0; i < 100 && result.empty(); ++i) {
        result = json::value_to<std::string>(
            browser.run("return document.getElementById('replay-result').textContent;"));
        std::this_thread::sleep_for(100ms);
    }
    CHECK(result == "replayed 1 message(s) of " + id);

    // The document search shows its journey: delivered after the replay.
    std::string state;
    for (int i = 0; i < 50 && state != "delivered"; ++i) {
        const auto field = browser.find("#document-id");
        browser.run("document.getElementById('document-id').value = '';");
        browser.type(field, id);
        browser.click(browser.find("#search button"));
        if (!browser.wait_for("#journey-state", 20).empty()) {
            state = json::value_to<std::string>(
                browser.run("return document.getElementById('journey-state').dataset.state;"));
        }
        std::this_thread::sleep_for(100ms);
    }
    CHECK(state == "delivered");
    // Its events, one row each: time, event, route, agency, code, detail.
    const auto kinds = json::value_to<std::vector<std::string>>(
        browser.run("return [...document.querySelectorAll('#journey tbody tr')]"
                    ".map(tr => tr.dataset.kind);"));
    CHECK(std::find(kinds.begin(), kinds.end(), "dead_lettered") != kinds.end());
    CHECK(std::find(kinds.begin(), kinds.end(), "delivered") != kinds.end());
    // The recent failures list the dead letter with its document id (third column).
    CHECK(json::value_to<std::string>(
              browser.run("const rows = [...document.querySelectorAll('#failures tr')]"
                          ".filter(tr => tr.dataset.kind === 'dead_lettered');"
                          "return rows.length ? rows[0].children[2].textContent : '';")) == id);

    // This month's signed share per agency: the sample's attachment is an unsigned PDF.
    const auto share_row =
        browser.wait_for("#signatures tr[data-agency='" + std::string(test::commune1) + "']");
    REQUIRE_FALSE(share_row.empty());
    CHECK(json::value_to<std::string>(browser.run(
              "const tr = document.querySelector(\"#signatures tr[data-agency='" +
              std::string(test::commune1) +
              "']\"); return tr.children[1].textContent + '/' + tr.children[6].textContent;")) ==
          "1/0.00%");
}
