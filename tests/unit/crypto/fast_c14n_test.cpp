// The fast C14N step (crypto/fast_c14n.hpp), differential: for each document and each chain the
// bytes reaching the digest are identical with and without it (compared byte for byte through
// xmlsec's pre-digest buffer), the signature made by plain xmlsec verifies with it, and it really
// ran (its counters), including the implicit inclusive C14N of a Reference with only
// enveloped-signature. Documents: large text nodes with and without what C14N escapes, CDATA,
// comments, PIs, nested namespaces, several large nodes, one in the Signature's parent.
#include "crypto/fast_c14n.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

#include "unit/crypto/fast_c14n_support.hpp"

namespace {

namespace c = lienthong::bus::crypto;
namespace t = lienthong::test;
namespace f = lienthong::test::fast_c14n;

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
    return text;
}

struct document {
    const char* name;
    std::string xml;     // {BIG} and {BIG2} stand for large clean texts
    const char* parent;  // where the Signature goes
    bool passes_a_text;  // at least one text node qualifies for the fast path
};

std::vector<document> documents() {
    const std::string big = f::base64_text(20000, 'A');
    const std::string big2 = f::base64_text(9000, 'q');
    std::vector<document> docs{
        {"one attachment", "<r xmlns=\"urn:x\"><a>{BIG}</a><s>x &amp; y</s></r>", "r", true},
        {"escapes inside the large text",
         "<r><a>{BIG}&amp;{BIG2}&lt;{BIG}&gt;{BIG2}&#13;{BIG}</a><b>{BIG2}</b></r>", "r", true},
        {"CDATA comments and PIs",
         "<?pi before?><!-- top --><r><!-- c --><a><![CDATA[{BIG}]]></a>"
         "<b>{BIG}<!-- inside -->{BIG2}</b><?pi data?></r><!-- after -->",
         "r", true},
        {"nested namespaces",
         "<a:r xmlns:a=\"urn:a\" xmlns:b=\"urn:b\" xmlns=\"urn:d\"><b:x xmlns:c=\"urn:c\" "
         "c:at=\"1\" xml:lang=\"vi\"><c:y>{BIG}</c:y><y xmlns=\"\">{BIG2}</y></b:x></a:r>",
         "r", true},
        {"several large texts in mixed content",
         "<r>{BIG}<a>{BIG2}</a>tiny<b>{BIG}</b>{BIG2}<c/>{BIG}</r>", "r", true},
        {"a large text in the Signature's parent", "<r><h>{BIG}</h><t>{BIG2}</t></r>", "h", true},
        {"UTF-8 and carriage returns",
         "<r><a>C\xC3\xB4ng v\xC4\x83n {BIG}</a><b>{BIG2}&#xD;</b><c>&#xD;&#xA;{BIG}</c></r>", "r",
         true},
        {"only small texts", "<r><a>short</a><b>also &lt; short</b></r>", "r", false},
    };
    for (auto& d : docs) {
        d.xml = replace_all(replace_all(d.xml, "{BIG}", big), "{BIG2}", big2);
    }
    // The threshold itself: one byte under it stays with libxml2, at it passes.
    docs.push_back({"under the threshold",
                    "<r><a>" + f::base64_text(c::fast_c14n_min_text - 1) + "</a></r>", "r", false});
    docs.push_back({"at the threshold",
                    "<r><a>" + f::base64_text(c::fast_c14n_min_text) + "</a></r>", "r", true});
    return docs;
}

const char* chain_name(f::chain shape) {
    switch (shape) {
        case f::chain::implicit:
            return "enveloped-signature only (implicit inclusive C14N)";
        case f::chain::exclusive:
            return "exclusive C14N";
        case f::chain::exclusive_prefixes:
            return "exclusive C14N with a PrefixList";
        case f::chain::inclusive_comments:
            return "inclusive C14N with comments";
        case f::chain::inclusive11:
            return "inclusive C14N 1.1";
        case f::chain::two_c14n:
            return "exclusive then inclusive C14N";
    }
    return "?";
}

}  // namespace

TEST_CASE("fast C14N: the digested bytes are libxml2's byte for byte", "[unit][crypto]") {
    for (const auto& d : documents()) {
        for (const auto shape : f::all_chains()) {
            INFO(d.name << " / " << chain_name(shape));
            auto doc = t::parse_xml(d.xml);
            xmlNode* parent = f::element_named(xmlDocGetRootElement(doc.get()), d.parent);
            REQUIRE(parent != nullptr);
            const std::string signed_bytes = f::sign(doc.get(), parent, shape);

            const auto plain = f::verify(signed_bytes, false);
            const auto runs = c::fast_c14n_testing::runs();
            const auto passed = c::fast_c14n_testing::texts_passed();
            const auto fast = f::verify(signed_bytes, true);

            CHECK(plain.valid);
            CHECK(fast.valid);
            REQUIRE(plain.digested.size() == 1);
            REQUIRE(fast.digested.size() == 1);
            CHECK(fast.digested.front() == plain.digested.front());
            CHECK(c::fast_c14n_testing::runs() == runs + 1);
            CHECK((c::fast_c14n_testing::texts_passed() > passed) == d.passes_a_text);
        }
    }
}

TEST_CASE("fast C14N: a changed large or small text still breaks the digest", "[unit][crypto]") {
    const std::string big = f::base64_text(50000);
    for (const auto shape : f::all_chains()) {
        INFO(chain_name(shape));
        auto doc = t::parse_xml("<r><s>small text</s><a>" + big + "</a></r>");
        const std::string signed_bytes = f::sign(doc.get(), xmlDocGetRootElement(doc.get()), shape);

        std::string one_char = signed_bytes;
        const auto at = one_char.find(big) + big.size() / 2;
        one_char[at] = one_char[at] == 'A' ? 'B' : 'A';
        std::string small = signed_bytes;
        small.replace(small.find("small text"), 10, "small test");

        for (const auto& tampered : {one_char, small}) {
            const auto passed = c::fast_c14n_testing::texts_passed();
            const auto fast = f::verify(tampered, true);
            CHECK_FALSE(fast.valid);
            CHECK(c::fast_c14n_testing::texts_passed() == passed + 1);
            const auto plain = f::verify(tampered, false);
            CHECK_FALSE(plain.valid);
            REQUIRE(fast.digested.size() == 1);
            CHECK(fast.digested == plain.digested);
        }
    }
}

TEST_CASE("fast C14N: with the test switch off the chain is xmlsec's own", "[unit][crypto]") {
    auto doc = t::parse_xml("<r><a>" + f::base64_text(20000) + "</a></r>");
    const std::string signed_bytes =
        f::sign(doc.get(), xmlDocGetRootElement(doc.get()), f::chain::implicit);
    c::fast_c14n_testing::set_enabled(false);
    const auto runs = c::fast_c14n_testing::runs();
    const auto off = f::verify(signed_bytes, true);
    c::fast_c14n_testing::set_enabled(true);
    CHECK(off.valid);
    CHECK(c::fast_c14n_testing::runs() == runs);
    CHECK(f::verify(signed_bytes, true).valid);
    CHECK(c::fast_c14n_testing::runs() == runs + 1);
}
