// The fast C14N step on packets: the bus's verifier gives the same verdict with and without it
// (accepted; a changed attachment or small text refused as digest mismatch), and a real VNPT SDK
// packet (tests/data/edxml-real), its placeholder Signature replaced by a real one over a large
// attachment, goes through the fast path both with the SDK's own transforms (enveloped-signature +
// exclusive C14N) and with enveloped-signature alone (the implicit inclusive C14N).
#include <catch2/catch.hpp>
#include <optional>
#include <string>

#include "crypto/fast_c14n.hpp"
#include "crypto/signature_verifier.hpp"
#include "unit/crypto/fast_c14n_support.hpp"

namespace {

namespace c = lienthong::bus::crypto;
namespace t = lienthong::test;
namespace f = lienthong::test::fast_c14n;
using lienthong::core::errc;

const std::string attachment_text = f::base64_text(300000);

// The sample packet with its attachment's base64 replaced by a large one.
std::string large_packet() {
    std::string packet = t::read_file(t::sample_path("edoc-new.edxml"));
    const std::string open = "<edXML:ContentTransferEncoded>";
    const auto from = packet.find(open) + open.size();
    const auto to = packet.find("</edXML:ContentTransferEncoded>", from);
    REQUIRE(to != std::string::npos);
    return packet.replace(from, to - from, attachment_text);
}

// verify_edxml's verdict (accepted, or the refusal's code) with the fast step on or off.
std::optional<errc> verdict(const c::signature_verifier& verifier, const std::string& bytes,
                            bool fast) {
    c::fast_c14n_testing::set_enabled(fast);
    auto doc = t::parse_xml(bytes);
    auto result = verifier.verify_edxml(doc.get());
    c::fast_c14n_testing::set_enabled(true);
    return result ? std::nullopt : std::optional<errc>{result.error().code};
}

}  // namespace

TEST_CASE("fast C14N: the bus verifier's verdicts are unchanged on a large packet",
          "[unit][crypto]") {
    const c::signature_verifier verifier{t::test_trust()};
    const std::string signed_packet =
        t::sign_bytes(large_packet(), t::agency_key(f::signer), t::agency_chain(f::signer));

    const auto runs = c::fast_c14n_testing::runs();
    const auto passed = c::fast_c14n_testing::texts_passed();
    CHECK_FALSE(verdict(verifier, signed_packet, true).has_value());
    CHECK(c::fast_c14n_testing::runs() == runs + 1);
    CHECK(c::fast_c14n_testing::texts_passed() == passed + 1);
    CHECK_FALSE(verdict(verifier, signed_packet, false).has_value());

    std::string one_char = signed_packet;
    const auto at = one_char.find(attachment_text) + 1234;
    one_char[at] = one_char[at] == 'A' ? 'B' : 'A';
    std::string small = signed_packet;
    const auto subject = small.find("<Subject>");
    REQUIRE(subject != std::string::npos);
    small.insert(subject + std::strlen("<Subject>"), "X");

    for (const auto& tampered : {one_char, small}) {
        CHECK(verdict(verifier, tampered, true) == errc::digest_mismatch);
        CHECK(verdict(verifier, tampered, false) == errc::digest_mismatch);
    }
}

TEST_CASE("fast C14N: a real SDK packet with a large attachment takes the fast path",
          "[unit][crypto]") {
    for (const auto shape : {f::chain::exclusive, f::chain::implicit}) {
        INFO((shape == f::chain::implicit ? "enveloped-signature only" : "SDK transforms"));
        auto doc = t::parse_xml(
            t::read_file(LIENTHONG_TEST_DATA_DIR "/edxml-real/edoc/sdk_new_3to_3att_sig.edxml"));
        xmlNode* root = xmlDocGetRootElement(doc.get());
        // The SDK's Signature is a placeholder in the edXML namespace: replace it by a real one.
        xmlNode* placeholder = f::element_named(root, "Signature");
        REQUIRE(placeholder != nullptr);
        xmlNode* parent = placeholder->parent;
        xmlUnlinkNode(placeholder);
        xmlFreeNode(placeholder);
        xmlNode* content = f::element_named(root, "ContentTransferEncoded");
        REQUIRE(content != nullptr);
        xmlNodeSetContent(content, BAD_CAST attachment_text.c_str());
        const std::string signed_bytes = f::sign(doc.get(), parent, shape);

        const auto runs = c::fast_c14n_testing::runs();
        const auto passed = c::fast_c14n_testing::texts_passed();
        const auto fast = f::verify(signed_bytes, true);
        CHECK(fast.valid);
        CHECK(c::fast_c14n_testing::runs() == runs + 1);
        CHECK(c::fast_c14n_testing::texts_passed() == passed + 1);
        const auto plain = f::verify(signed_bytes, false);
        CHECK(plain.valid);
        CHECK(fast.digested == plain.digested);
    }
}
