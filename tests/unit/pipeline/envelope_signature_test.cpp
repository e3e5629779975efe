#include "pipeline/envelope_signature.hpp"

#include <catch2/catch.hpp>

#include "support/bus_process.hpp"
#include "support/test_pki.hpp"

using namespace lienthong;
using bus::pipeline::envelope_verdict;
using bus::routing::envelope_policy;

namespace {

struct fixture {
    bus::routing::directory dir =
        bus::routing::directory::load(LIENTHONG_SOURCE_DIR "/deploy/config/agencies.yaml");
    bus::crypto::signature_verifier verifier{test::test_trust()};

    core::result<envelope_verdict> check(const std::string& packet, envelope_policy policy,
                                         const std::string& from) {
        auto doc = test::parse_xml(packet);
        return bus::pipeline::check_envelope_signature(doc.get(), {policy, false}, from, verifier,
                                                       dir);
    }
};

std::string real_packet(const std::string& name) {
    return test::read_file(LIENTHONG_TEST_DATA_DIR "/edxml-real/edoc/" + name);
}

const std::string g22 = "000.00.00.G22";

}  // namespace

TEST_CASE("envelope signature: required asks for a verifiable XML-DSig by the sender", "[unit]") {
    fixture f;
    const auto signed_packet =
        test::signed_sample(test::sample_path("edoc-new.edxml"), test::commune1);
    auto ok = f.check(signed_packet, envelope_policy::required, test::commune1);
    REQUIRE(ok);
    CHECK(*ok == envelope_verdict::verified);

    SECTION("the VNPT SDK's placeholder Signature is no signature") {
        auto r = f.check(real_packet("sdk_new_3to_3att_sig.edxml"), envelope_policy::required, g22);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == core::errc::signature_missing);
        CHECK(r.error().message.find("placeholder") != std::string::npos);
        CHECK(r.error().message.find("envelope_signature") != std::string::npos);
    }
    SECTION("no Signature at all") {
        auto r =
            f.check(real_packet("sdk_new_3to_3att_nosig.edxml"), envelope_policy::required, g22);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == core::errc::signature_missing);
        CHECK(r.error().message.find("no Signature") != std::string::npos);
    }
}

TEST_CASE("envelope signature: if_present verifies a real one and passes none or a placeholder",
          "[unit]") {
    fixture f;
    auto placeholder =
        f.check(real_packet("sdk_new_3to_3att_sig.edxml"), envelope_policy::if_present, g22);
    REQUIRE(placeholder);
    CHECK(*placeholder == envelope_verdict::placeholder);

    auto absent =
        f.check(real_packet("sdk_new_3to_3att_nosig.edxml"), envelope_policy::if_present, g22);
    REQUIRE(absent);
    CHECK(*absent == envelope_verdict::absent);

    const auto signed_packet =
        test::signed_sample(test::sample_path("edoc-new.edxml"), test::commune1);
    auto verified = f.check(signed_packet, envelope_policy::if_present, test::commune1);
    REQUIRE(verified);
    CHECK(*verified == envelope_verdict::verified);

    SECTION("an XML-DSig that does not verify is refused") {
        std::string tampered = signed_packet;
        tampered.replace(tampered.find("Nguyễn Văn An"), 13, "Lê Văn Bình");
        auto r = f.check(tampered, envelope_policy::if_present, test::commune1);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == core::errc::digest_mismatch);
    }
    SECTION("a valid XML-DSig by another agency is refused") {
        const auto by_other =
            test::signed_sample(test::sample_path("edoc-new.edxml"), test::district1);
        auto r = f.check(by_other, envelope_policy::if_present, test::commune1);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == core::errc::signer_not_sender);
    }
}

TEST_CASE("envelope signature: off looks at nothing - not even a broken signature", "[unit]") {
    fixture f;
    std::string tampered = test::signed_sample(test::sample_path("edoc-new.edxml"), test::commune1);
    tampered.replace(tampered.find("Nguyễn Văn An"), 13, "Lê Văn Bình");
    auto r = f.check(tampered, envelope_policy::off, test::commune1);
    REQUIRE(r);
    CHECK(*r == envelope_verdict::not_checked);
    CHECK(bus::pipeline::verdict_name(*r) == "not_checked");
}
