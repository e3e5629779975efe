#include "support/webdriver.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/beast/core/detail/base64.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <thread>

#include "support/bus_process.hpp"
#include "support/http_client.hpp"

namespace lienthong::test {

namespace json = boost::json;
using namespace std::chrono_literals;

namespace {
constexpr const char* element_key = "element-6066-11e4-a52e-4f735466cecf";
}  // namespace

webdriver::webdriver(const std::string& language)
    : port_(static_cast<unsigned short>(unused_port())) {
    REQUIRE(std::filesystem::exists("/usr/bin/chromedriver"));  // tests/run.sh installs it
    profile_ = make_temp_dir("lienthong-chromium");
    pid_ = fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
        const std::string port_arg = "--port=" + std::to_string(port_);
        if (!freopen((profile_ + ".driver.log").c_str(), "w", stderr)) {
            _exit(127);
        }
        execl("/usr/bin/chromedriver", "chromedriver", port_arg.c_str(), "--allowed-ips=127.0.0.1",
              nullptr);
        _exit(127);
    }
    for (int i = 0; i < 200; ++i) {
        try {
            if (http_call(port_, "GET", "/status").status == 200) {
                break;
            }
        } catch (const std::exception&) {
        }
        std::this_thread::sleep_for(50ms);
    }
    json::array args{"--headless",
                     "--no-sandbox",
                     "--disable-gpu",
                     "--disable-quic",
                     "--no-first-run",
                     "--disable-background-networking",
                     "--disable-component-update",
                     "--disable-sync",
                     "--disable-dev-shm-usage",
                     "--window-size=1400,1000",
                     "--lang=" + language,
                     "--user-data-dir=" + profile_};
    json::object options{{"binary", "/usr/bin/chromium"},
                         {"args", args},
                         {"prefs", {{"intl.accept_languages", language}}}};
    json::object caps{
        {"capabilities",
         {{"alwaysMatch", {{"browserName", "chrome"}, {"goog:chromeOptions", options}}}}}};
    auto session = call("POST", "/session", caps);
    session_ = json::value_to<std::string>(session.at("sessionId"));
}

webdriver::~webdriver() {
    if (!session_.empty()) {
        try {
            call("DELETE", "/session/" + session_);
        } catch (...) {
        }
    }
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    std::error_code ec;
    std::filesystem::remove_all(profile_, ec);
    std::filesystem::remove(profile_ + ".driver.log", ec);
}

json::value webdriver::call(const std::string& method, const std::string& path,
                            const json::object& body) {
    auto r = http_call(port_, method, path, method == "GET" ? "" : json::serialize(body),
                       {{"Content-Type", "application/json"}});
    INFO(method << " " << path << " -> " << r.status << " " << r.body.substr(0, 2000));
    REQUIRE(r.status == 200);
    return json::parse(r.body).at("value");
}

void webdriver::go(const std::string& url) {
    call("POST", "/session/" + session_ + "/url", {{"url", url}});
}

json::value webdriver::run(const std::string& script) {
    return call("POST", "/session/" + session_ + "/execute/sync",
                {{"script", script}, {"args", json::array{}}});
}

std::string webdriver::find(const std::string& css) {
    auto r = http_call(port_, "POST", "/session/" + session_ + "/element",
                       json::serialize(json::object{{"using", "css selector"}, {"value", css}}),
                       {{"Content-Type", "application/json"}});
    if (r.status != 200) {
        return {};
    }
    return json::value_to<std::string>(json::parse(r.body).at("value").at(element_key));
}

void webdriver::type(const std::string& element, const std::string& text) {
    call("POST", "/session/" + session_ + "/element/" + element + "/value", {{"text", text}});
}

void webdriver::click(const std::string& element) {
    call("POST", "/session/" + session_ + "/element/" + element + "/click");
}

std::string webdriver::wait_for(const std::string& css, int tries) {
    for (int i = 0; i < tries; ++i) {
        if (auto e = find(css); !e.empty()) {
            return e;
        }
        std::this_thread::sleep_for(100ms);
    }
    return {};
}

bool webdriver::wait_until(const std::string& script, int tries) {
    for (int i = 0; i < tries; ++i) {
        const auto v = run("try { return !!(" + script + "); } catch (e) { return false; }");
        if (v.is_bool() && v.as_bool()) {
            return true;
        }
        std::this_thread::sleep_for(100ms);
    }
    return false;
}

void webdriver::screenshot(const std::string& path) {
    // The whole page: the window grows to the document's height first.
    const auto height = run("return document.documentElement.scrollHeight;").to_number<int>();
    call("POST", "/session/" + session_ + "/window/rect",
         {{"width", 1400}, {"height", std::min(std::max(height + 120, 800), 6000)}});
    const auto encoded =
        json::value_to<std::string>(call("GET", "/session/" + session_ + "/screenshot"));
    std::string png(boost::beast::detail::base64::decoded_size(encoded.size()), '\0');
    const auto [written, read] =
        boost::beast::detail::base64::decode(png.data(), encoded.data(), encoded.size());
    png.resize(written);
    std::ofstream out(path, std::ios::binary);
    out << png;
    REQUIRE(out.good());
}

std::string browser_artifacts_dir() {
    const std::string dir = LIENTHONG_ARTIFACTS_DIR;
    std::filesystem::create_directories(dir);
    return dir;
}

}  // namespace lienthong::test
