// The simulated axis's request check (tests/tools/axis_simulator), on the real client's captured
// requests: what the real client sent passes; any change to it does not.
#include <catch2/catch.hpp>

#include "crypto/digest.hpp"
#include "support/axis_capture.hpp"
#include "support/test_pki.hpp"
#include "tools/axis_simulator.hpp"

using namespace lienthong;
namespace axis = lienthong::adapters::national_axis;

namespace {

const std::string secret(test::capture_secret);

void set(axis::header_list& h, const std::string& name, const std::string& value) {
    for (auto& [k, v] : h) {
        if (k == name) {
            v = value;
        }
    }
}

/// Signs `h` again under the capture's secret after its sign-header was edited.
void resign(axis::header_list& h) {
    for (const auto& [k, v] : h) {
        if (k == "XroadVnpt-sign-header") {
            set(h, "XroadVnpt-hash-header", axis::hmac_sha256_hex(secret, v));
            return;
        }
    }
}

}  // namespace

TEST_CASE("axis simulator: the captured sendEdoc verifies - tampering is refused", "[unit]") {
    const auto capture = test::read_axis_capture(test::axis_capture_path());
    REQUIRE(capture.size() == 7);
    auto h = capture[0].headers;
    const auto packet = test::read_file(test::capture_packet_path());
    auto body = axis::upload_body(packet);

    SECTION("as captured") {
        auto v = test::verify_axis_request(h, "/sendEdoc", body, secret);
        REQUIRE(v);
        CHECK(v->size() == 7);
        CHECK(v->at(3) ==
              std::pair<std::string, std::string>{"hash-file", axis::sdk_hash_file(packet)});
    }
    SECTION("another secret") {
        auto v = test::verify_axis_request(h, "/sendEdoc", body, "not-the-secret");
        REQUIRE_FALSE(v);
        CHECK(v.error().field == "XroadVnpt-hash-header");
    }
    SECTION("a signed header changed") {
        set(h, "XroadVnpt-from", "000.00.00.H42");
        auto v = test::verify_axis_request(h, "/sendEdoc", body, secret);
        REQUIRE_FALSE(v);
        CHECK(v.error().field == "XroadVnpt-from");
    }
    SECTION("an unsigned XroadVnpt header added") {
        h.emplace_back("XroadVnpt-to", R"(["000.00.00.G22"])");
        CHECK_FALSE(test::verify_axis_request(h, "/sendEdoc", body, secret));
    }
    SECTION("one byte of the packet changed") {
        body[100] ^= 1;
        auto v = test::verify_axis_request(h, "/sendEdoc", body, secret);
        REQUIRE_FALSE(v);
        CHECK(v.error().field == "XroadVnpt-hash-file");
    }
    SECTION("hash-file in two-digit hex, properly signed, is not the SDK's") {
        const auto two_digit = bus::crypto::sha256_hex(packet);
        for (auto& [k, v] : h) {
            if (k == "XroadVnpt-sign-header") {
                v.replace(v.find(axis::sdk_hash_file(packet)), axis::sdk_hash_file(packet).size(),
                          two_digit);
            }
        }
        set(h, "XroadVnpt-hash-file", two_digit);
        resign(h);
        REQUIRE(axis::verify_request(h, secret));  // the signature itself is fine
        auto v = test::verify_axis_request(h, "/sendEdoc", body, secret);
        REQUIRE_FALSE(v);
        CHECK(v.error().field == "XroadVnpt-hash-file");
    }
}

TEST_CASE("axis simulator: every captured call verifies - hash-file counts only for sendEdoc",
          "[unit]") {
    const auto capture = test::read_axis_capture(test::axis_capture_path());
    const auto upload = axis::upload_body(test::read_file(test::capture_packet_path()));
    for (const auto& r : capture) {
        INFO(r.target);
        // The later calls carry over sendEdoc's hash-file, which does not describe their body.
        const auto body = r.target == "/sendEdoc" ? upload : r.body.value_or("");
        CHECK(test::verify_axis_request(r.headers, r.target, body, secret));
        if (r.target == "/sendEdoc") {
            CHECK_FALSE(test::verify_axis_request(r.headers, r.target, "", secret));
        }
    }
}
