#include <catch2/catch.hpp>

#include "adapters/national_axis/protocol.hpp"

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

}  // namespace

TEST_CASE("national axis: hash-file keeps two hex digits per byte", "[unit]") {
    // SHA-256("abc") has the bytes 0x01, 0x00 and 0x03 that the SDK's hex routine would shorten.
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256_hex("").size() == 64);
}

TEST_CASE("national axis: HMAC-SHA256 matches RFC 4231", "[unit]") {
    CHECK(hmac_sha256_hex("Jefe", "what do ya want for nothing?") ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("national axis: timestamp in the SDK's ddMMyyyy'T'HHmmss+SSSS form", "[unit]") {
    using namespace std::chrono;
    // 2026-11-24 00:28:41.123 UTC
    const auto t = system_clock::time_point(seconds(1795480121)) + milliseconds(123);
    CHECK(axis_timestamp(t) == "24112026T002841+0123");
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

TEST_CASE("national axis: signed headers verify - and any tampering is refused", "[unit]") {
    const header_list logical{{"from", "000.00.00.H41"},
                              {"servicetype", "eDoc"},
                              {"messagetype", "edoc"},
                              {"to", R"(["000.00.00.G22"])"}};
    auto h = sign_request(logical, "vxp.h41", "s3cret", "application/octet-stream",
                          std::chrono::system_clock::now());
    REQUIRE(find(h, "XroadVnpt-systemid"));
    CHECK(*find(h, "XroadVnpt-systemid") == "vxp.h41");
    CHECK(*find(h, "XroadVnpt-from") == "000.00.00.H41");
    CHECK(*find(h, "XroadVnpt-to") == R"(["000.00.00.G22"])");
    CHECK(*find(h, "XroadVnpt-version") == "3.0.201608");
    CHECK(*find(h, "User-Agent") == "JAVASDKAgent/1.0.0 XRoad/VPCP");
    CHECK(*find(h, "XroadVnpt-sign-header-key") ==
          "XroadVnpt-systemid;XroadVnpt-timestamp;XroadVnpt-Content-Type;XroadVnpt-from;"
          "XroadVnpt-servicetype;XroadVnpt-messagetype;XroadVnpt-to");
    CHECK(*find(h, "XroadVnpt-hash-header") ==
          hmac_sha256_hex("s3cret", *find(h, "XroadVnpt-sign-header")));

    SECTION("intact") {
        auto v = verify_request(h, "s3cret");
        REQUIRE(v);
        CHECK(v->size() == 7);
    }
    SECTION("wrong secret") {
        auto v = verify_request(h, "other");
        REQUIRE_FALSE(v);
        CHECK(v.error().code == lienthong::core::errc::unauthenticated);
    }
    SECTION("a signed header's value changed") {
        for (auto& [k, v] : h) {
            if (k == "XroadVnpt-to") {
                v = R"(["000.00.00.G01"])";
            }
        }
        CHECK_FALSE(verify_request(h, "s3cret"));
    }
    SECTION("an unsigned XroadVnpt header added") {
        h.emplace_back("XroadVnpt-status", "done");
        CHECK_FALSE(verify_request(h, "s3cret"));
    }
    SECTION("no signature") {
        std::erase_if(h, [](const auto& kv) { return kv.first == "XroadVnpt-hash-header"; });
        CHECK_FALSE(verify_request(h, "s3cret"));
    }
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
