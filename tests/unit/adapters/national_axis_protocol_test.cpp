#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <ctime>
#include <optional>
#include <regex>

#include "adapters/national_axis/protocol.hpp"
#include "crypto/digest.hpp"
#include "support/axis_capture.hpp"
#include "support/test_pki.hpp"

using namespace lienthong::adapters;
using namespace lienthong::adapters::national_axis;

namespace {

const std::string* find(const header_list& h, const std::string& name) {
    for (const auto& [k, v] : h) {
        if (k == name) {
            return &v;
        }
    }
    return nullptr;
}

std::vector<std::string> names_of(const header_list& h) {
    std::vector<std::string> out;
    for (const auto& [k, v] : h) {
        out.push_back(k);
    }
    return out;
}

/// Sets TZ for the scope of one test (the format is in the host's local time).
struct time_zone final {
    explicit time_zone(const char* tz) {
        if (const char* old = std::getenv("TZ")) {
            saved_ = old;
        }
        setenv("TZ", tz, 1);
        tzset();
    }
    ~time_zone() {
        if (saved_) {
            setenv("TZ", saved_->c_str(), 1);
        } else {
            unsetenv("TZ");
        }
        tzset();
    }
    time_zone(const time_zone&) = delete;
    time_zone& operator=(const time_zone&) = delete;

  private:
    std::optional<std::string> saved_;
};

}  // namespace

TEST_CASE("national axis: the SDK's hex drops each byte's leading zero", "[unit]") {
    CHECK(sdk_hex(std::string("\x00\x0f\x10\xff\x01", 5)) == "0f10ff1");
    CHECK(sdk_hex("") == "");
    // SHA-256("abc") = ba7816bf8f01cfea...: its bytes 0x01, 0x00 and 0x03 lose their zero.
    CHECK(sdk_hash_file("abc") == "ba7816bf8f1cfea414140de5dae2223b0361a396177a9cb410ff61f2015ad");
}

TEST_CASE("national axis: hash-file of the captured packet is the capture's", "[unit]") {
    const auto packet = lienthong::test::read_file(lienthong::test::capture_packet_path());
    const auto capture = lienthong::test::read_axis_capture(lienthong::test::axis_capture_path());
    REQUIRE(capture.size() == 7);
    const auto captured = capture.at(0).header("XroadVnpt-hash-file");
    CHECK(captured.size() < 64);  // the dropped zeros
    CHECK(sdk_hash_file(packet) == captured);
    CHECK(sdk_hash_file(packet) == "c2372812ef2769f8f591a6ebb95886fac859d0eceb44a5f48b8716b36c80");
    // The body carries a CRLF the hash does not cover.
    CHECK(upload_body(packet).size() == capture.at(0).body_size);
    CHECK(packet_of_upload(upload_body(packet)) == packet);
    CHECK(packet_of_upload("<edXML/>") == "<edXML/>");
}

TEST_CASE("national axis: HMAC-SHA256 matches RFC 4231", "[unit]") {
    CHECK(hmac_sha256_hex("Jefe", "what do ya want for nothing?") ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("national axis: timestamp is ddMMyyyy'T'HHmmss+SSSS in local time", "[unit]") {
    using namespace std::chrono;
    // 2026-11-24 00:28:41.123 UTC
    const auto t = system_clock::time_point(seconds(1795480121)) + milliseconds(123);
    SECTION("UTC+7 (Vietnam): the local wall clock, not UTC") {
        time_zone tz("ICT-7");
        CHECK(axis_timestamp(t) == "24112026T072841+0123");
    }
    SECTION("UTC") {
        time_zone tz("UTC0");
        CHECK(axis_timestamp(t) == "24112026T002841+0123");
        CHECK(axis_timestamp(t - milliseconds(123) + milliseconds(5)) == "24112026T002841+0005");
    }
    SECTION("the capture's shape") {
        const auto capture =
            lienthong::test::read_axis_capture(lienthong::test::axis_capture_path());
        const std::regex shape(R"(\d{8}T\d{6}\+\d{4})");
        CHECK(std::regex_match(capture.at(0).header("XroadVnpt-timestamp"), shape));
        CHECK(std::regex_match(axis_timestamp(system_clock::now()), shape));
    }
}

TEST_CASE("national axis: text made safe for a header", "[unit]") {
    CHECK(header_safe("signature-invalid: bad digest") == "signature-invalid: bad digest");
    CHECK(header_safe("a\r\nX-Evil: 1") == "a?X-Evil: 1");
    CHECK(header_safe("Văn phòng") == "V?n ph?ng");
    CHECK(header_safe("  padded\t") == "padded?");
    CHECK(header_safe(std::string(1000, 'x')).size() == max_description);
    CHECK(header_safe(std::string(5, 'x') + std::string(300, ' ') + "y", 10) == "xxxxx");
}

TEST_CASE("national axis: base64 round trip and rejection", "[unit]") {
    for (const std::string& s :
         std::vector<std::string>{"", "a", "ab", "abc", "abcd", std::string("\0\xff\x10", 3)}) {
        auto back = base64_decode(base64_encode(s));
        REQUIRE(back);
        CHECK(*back == s);
    }
    CHECK(base64_decode("YWJj\nZA==").value() == "abcd");
    CHECK_FALSE(base64_decode("not base64!"));
}

TEST_CASE("national axis: signed headers in the real client's order - by bare name", "[unit]") {
    const auto now = std::chrono::system_clock::now();
    SECTION("an upload: plain Content-Type first") {
        const header_list logical{{"from", "000.00.00.H41"},
                                  {"to", R"(["000.00.00.G22"])"},
                                  {"hash-file", "abc"},
                                  {"servicetype", "eDoc"},
                                  {"messagetype", "edoc"}};
        auto h = sign_request(logical, "vxp.h41", "s3cret", "application/octet-stream", now);
        CHECK(names_of(h) == std::vector<std::string>{
                                 "Content-Type", "XroadVnpt-systemid", "XroadVnpt-servicetype",
                                 "XroadVnpt-messagetype", "XroadVnpt-hash-file", "XroadVnpt-from",
                                 "XroadVnpt-to", "XroadVnpt-timestamp", "XroadVnpt-Content-Type",
                                 "XroadVnpt-sign-header-key", "XroadVnpt-sign-header",
                                 "XroadVnpt-hash-header", "User-Agent", "XroadVnpt-version"});
        CHECK(*find(h, "XroadVnpt-sign-header-key") ==
              "systemid;servicetype;messagetype;hash-file;from;to;timestamp;Content-Type");
        CHECK(*find(h, "XroadVnpt-version") == "3.0.201608");
        CHECK(*find(h, "User-Agent") == "JAVASDKAgent/1.0.0 XRoad/VPCP");
        CHECK(*find(h, "XroadVnpt-hash-header") ==
              hmac_sha256_hex("s3cret", *find(h, "XroadVnpt-sign-header")));
    }
    SECTION("a JSON call: plain Content-Type after the timestamp; status, description last") {
        const header_list logical{{"description", "why"},
                                  {"status", "fail"},
                                  {"docId", "D1"},
                                  {"servicetype", "eDoc"},
                                  {"messagetype", "status"}};
        auto h = sign_request(logical, "vxp.h41", "s3cret", "application/json", now);
        CHECK(names_of(h) == std::vector<std::string>{
                                 "XroadVnpt-systemid", "XroadVnpt-servicetype",
                                 "XroadVnpt-messagetype", "XroadVnpt-docId", "XroadVnpt-timestamp",
                                 "Content-Type", "XroadVnpt-Content-Type", "XroadVnpt-status",
                                 "XroadVnpt-description", "XroadVnpt-sign-header-key",
                                 "XroadVnpt-sign-header", "XroadVnpt-hash-header", "User-Agent",
                                 "XroadVnpt-version"});
        CHECK(*find(h, "XroadVnpt-sign-header-key") ==
              "systemid;servicetype;messagetype;docId;timestamp;Content-Type;status;description");
        const auto json = boost::json::parse(*find(h, "XroadVnpt-sign-header")).as_object();
        REQUIRE(json.size() == 8);
        CHECK(json.begin()->key() == "XroadVnpt-systemid");
        CHECK(json.at("XroadVnpt-description") == "why");
    }
}

TEST_CASE("national axis: signed headers verify - and any tampering is refused", "[unit]") {
    const header_list logical{{"from", "000.00.00.H41"},
                              {"servicetype", "eDoc"},
                              {"messagetype", "edoc"},
                              {"to", R"(["000.00.00.G22"])"}};
    auto h = sign_request(logical, "vxp.h41", "s3cret", "application/json",
                          std::chrono::system_clock::now());
    auto set = [&h](const std::string& name, const std::string& value) {
        for (auto& [k, v] : h) {
            if (k == name) {
                v = value;
            }
        }
    };
    SECTION("intact") {
        auto v = verify_request(h, "s3cret");
        REQUIRE(v);
        CHECK(v->size() == 7);
        CHECK(v->at(0) == std::pair<std::string, std::string>{"systemid", "vxp.h41"});
    }
    SECTION("wrong secret") {
        auto v = verify_request(h, "other");
        REQUIRE_FALSE(v);
        CHECK(v.error().code == lienthong::core::errc::unauthenticated);
    }
    SECTION("a signed header's value changed") {
        set("XroadVnpt-to", R"(["000.00.00.G01"])");
        CHECK_FALSE(verify_request(h, "s3cret"));
    }
    SECTION("an unsigned XroadVnpt header added") {
        h.emplace_back("XroadVnpt-status", "done");
        CHECK_FALSE(verify_request(h, "s3cret"));
    }
    SECTION("sign-header-key with prefixed names (the old reading)") {
        set("XroadVnpt-sign-header-key",
            "XroadVnpt-systemid;XroadVnpt-servicetype;XroadVnpt-messagetype;XroadVnpt-from;"
            "XroadVnpt-to;XroadVnpt-timestamp;XroadVnpt-Content-Type");
        CHECK_FALSE(verify_request(h, "s3cret"));
    }
    SECTION("sign-header-key in another order, or missing a name") {
        set("XroadVnpt-sign-header-key",
            "servicetype;systemid;messagetype;from;to;timestamp;Content-Type");
        CHECK_FALSE(verify_request(h, "s3cret"));
        set("XroadVnpt-sign-header-key", "systemid;servicetype;messagetype;from;to;timestamp");
        CHECK_FALSE(verify_request(h, "s3cret"));
    }
    SECTION("no signature") {
        std::erase_if(h, [](const auto& kv) { return kv.first == "XroadVnpt-hash-header"; });
        CHECK_FALSE(verify_request(h, "s3cret"));
    }
}

TEST_CASE("national axis: hash-file is checked over the body minus its CRLF", "[unit]") {
    const std::string packet = "<edXML>y</edXML>";  // its digest has bytes below 0x10
    REQUIRE(sdk_hash_file(packet).size() < 64);
    const header_list logical{{"hash-file", sdk_hash_file(packet)}};
    CHECK(verify_hash_file(logical, upload_body(packet)));
    CHECK(verify_hash_file(logical, packet));
    CHECK_FALSE(verify_hash_file(logical, upload_body("<edXML>x</edXML>")));
    CHECK_FALSE(verify_hash_file({{"hash-file", lienthong::bus::crypto::sha256_hex(packet)}},
                                 upload_body(packet)));
    CHECK_FALSE(verify_hash_file({}, upload_body(packet)));
}

TEST_CASE("national axis: replies map to delivered / retryable / permanent", "[unit]") {
    const std::string ok = R"({"status":"OK","ErrorCode":"0","ErrorDesc":"","DocId":"D1"})";
    const std::string refused = R"({"status":"FAIL","ErrorCode":"12","ErrorDesc":"bad to"})";
    CHECK(judge_send(200, "", ok).result == outcome::delivered);
    CHECK(judge_send(200, "", R"({"status":"OK","ErrorCode":0})").result == outcome::delivered);
    CHECK(judge_send(200, "", refused).result == outcome::permanent_failure);
    CHECK(judge_send(200, "", refused).reason.find("bad to") != std::string::npos);
    CHECK(judge_send(200, "", "<html>").result == outcome::retryable_failure);
    CHECK(judge_send(0, "connection refused", "").result == outcome::retryable_failure);
    CHECK(judge_send(503, "", "").result == outcome::retryable_failure);
    CHECK(judge_send(429, "", "").result == outcome::retryable_failure);
    CHECK(judge_send(408, "", "").result == outcome::retryable_failure);
    CHECK(judge_send(401, "", refused).result == outcome::permanent_failure);
    CHECK(judge_send(400, "", "").result == outcome::permanent_failure);
}
