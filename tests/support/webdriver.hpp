#pragma once
// Headless Chromium driven through chromedriver's W3C WebDriver HTTP API (Debian's chromium and
// chromium-driver, installed by tests/run.sh), for the console's browser tests.
#include <sys/types.h>

#include <boost/json.hpp>
#include <string>

namespace lienthong::test {

/// chromedriver on a private port with a fresh Chromium profile; killed on destruction.
class webdriver final {
  public:
    /// `language`: the browser's language (navigator.languages and Accept-Language), e.g. "vi".
    explicit webdriver(const std::string& language = "en-US");
    ~webdriver();
    webdriver(const webdriver&) = delete;
    webdriver& operator=(const webdriver&) = delete;

    /// One WebDriver command; returns its "value". Fails the test on a WebDriver error.
    boost::json::value call(const std::string& method, const std::string& path,
                            const boost::json::object& body = {});
    void go(const std::string& url);
    /// Runs `script` in the page; returns what it returns.
    boost::json::value run(const std::string& script);
    /// The first element matching `css`, or "" when there is none.
    std::string find(const std::string& css);
    void type(const std::string& element, const std::string& text);
    void click(const std::string& element);
    /// Waits (bounded) until `css` matches an element; returns it ("" if it never did).
    std::string wait_for(const std::string& css, int tries = 200);
    /// Waits (bounded) until `script` returns true.
    bool wait_until(const std::string& script, int tries = 200);
    /// Saves a PNG of the page (its whole height) to `path`.
    void screenshot(const std::string& path);

  private:
    unsigned short port_;
    std::string profile_;
    pid_t pid_ = -1;
    std::string session_;
};

/// Where the browser tests save their screenshots: <build>/tests/browser-artifacts (created).
std::string browser_artifacts_dir();

}  // namespace lienthong::test
