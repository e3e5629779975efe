#include <catch2/catch.hpp>
#include <fstream>

#include "adapters/national_axis/config.hpp"
#include "support/bus_process.hpp"

using namespace lienthong::adapters;

namespace {

settings valid() {
    return {{"endpoint", "https://axis.example.vn/vxp/"},
            {"system_id", "vxp.h41"},
            {"secret", "s3cret"},
            {"timeout_ms", "5000"},
            {"poll_interval_ms", "0"}};
}

std::vector<std::string> errors_of(const settings& s) {
    std::vector<std::string> errors;
    national_axis::factory{}.validate(s, "national_axis", errors);
    return errors;
}

}  // namespace

TEST_CASE("national_axis config: a valid section builds", "[unit]") {
    std::vector<std::string> errors;
    auto c = national_axis::parse_config(valid(), "national_axis", errors);
    REQUIRE(errors.empty());
    REQUIRE(c);
    CHECK(c->endpoint == "https://axis.example.vn/vxp");  // trailing '/' dropped
    CHECK(c->system_id == "vxp.h41");
    CHECK(c->timeout == std::chrono::milliseconds(5000));
    CHECK(c->poll_interval.count() == 0);
    CHECK(national_axis::factory{}.create(valid()) != nullptr);
}

TEST_CASE("national_axis config: each invalid field is rejected with its path", "[unit]") {
    struct bad_case {
        std::string key, value, error_prefix;
    };
    for (const auto& c : std::vector<bad_case>{
             {"endpoint", "", "national_axis.endpoint: is required"},
             {"endpoint", "ftp://axis", "national_axis.endpoint: "},
             {"system_id", "", "national_axis.system_id: is required"},
             {"secret", "", "national_axis.secret: is required"},
             {"timeout_ms", "50", "national_axis.timeout_ms: must be an integer in 100..600000"},
             {"timeout_ms", "fast", "national_axis.timeout_ms: must be an integer"},
             {"poll_interval_ms", "10", "national_axis.poll_interval_ms: must be an integer"},
             {"ca_file", "/nonexistent/ca.pem", "national_axis.ca_file: file"},
             {"client_cert", "/etc/hostname", "national_axis.client_key: client_cert and"},
             {"colour", "blue", "national_axis.colour: unknown setting"}}) {
        INFO(c.key << "=" << c.value);
        auto s = valid();
        if (c.value.empty()) {
            s.erase(c.key);
        } else {
            s[c.key] = c.value;
        }
        const auto errors = errors_of(s);
        REQUIRE(errors.size() == 1);
        CHECK(errors[0].rfind(c.error_prefix, 0) == 0);
    }
}

TEST_CASE("national_axis config: the secret may come from a file instead", "[unit]") {
    const auto dir = lienthong::test::make_temp_dir("lienthong-axis-secret");
    const auto write = [&](const std::string& name, const std::string& text) {
        std::ofstream(dir + "/" + name) << text;
        return dir + "/" + name;
    };
    auto s = valid();
    s.erase("secret");
    s["secret_file"] = write("secret", "k3y from a file\n");
    std::vector<std::string> errors;
    auto c = national_axis::parse_config(s, "national_axis", errors);
    REQUIRE(errors.empty());
    REQUIRE(c);
    CHECK(c->secret == "k3y from a file");  // the final newline is not part of the key

    struct bad_case {
        std::string file, error_prefix;
    };
    for (const auto& b : std::vector<bad_case>{
             {dir + "/missing", "national_axis.secret_file: cannot read"},
             {write("empty", "\n"), "national_axis.secret_file: '" + dir + "/empty' is empty"},
             {write("two-lines", "a\nb\n"), "national_axis.secret_file: '" + dir +
                                                "/two-lines' must hold the key on one line"}}) {
        INFO(b.file);
        s["secret_file"] = b.file;
        const auto found = errors_of(s);
        REQUIRE(found.size() == 1);
        CHECK(found[0].rfind(b.error_prefix, 0) == 0);
    }
    auto both = valid();
    both["secret_file"] = write("secret2", "x");
    const auto found = errors_of(both);
    REQUIRE(found.size() == 1);
    CHECK(found[0] == "national_axis.secret_file: give secret or secret_file, not both");
}

TEST_CASE("national_axis factory: an inbound source only when poll_interval_ms is above 0",
          "[unit]") {
    const inbound_sink sink = [](message_kind, std::shared_ptr<const std::string>,
                                 const std::string&) { return delivery_result{}; };
    CHECK(national_axis::factory{}.create_inbound(valid(), sink) == nullptr);
    auto polling = valid();
    polling["poll_interval_ms"] = "60000";
    auto source = national_axis::factory{}.create_inbound(polling, sink);
    CHECK(source != nullptr);
    // Other types have no inbound half.
    struct plain final : adapter_factory {
        void validate(const settings&, const std::string&,
                      std::vector<std::string>&) const override {}
        std::unique_ptr<adapter> create(const settings&) const override { return nullptr; }
    };
    CHECK(plain{}.create_inbound({}, sink) == nullptr);
}
