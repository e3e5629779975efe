// Distinguished names as text: readable UTF-8 whatever string type the certificate uses, in the
// one helper every log line, problem detail and `lienthongctl verify` line goes through.
#include <openssl/asn1.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <catch2/catch.hpp>
#include <memory>
#include <string>

#include "crypto/openssl.hpp"
#include "crypto/trust_store.hpp"
#include "support/test_pki.hpp"

namespace {

using namespace lienthong::bus::crypto;
using lienthong::core::errc;
namespace t = lienthong::test;

struct name_deleter {
    void operator()(X509_NAME* p) const noexcept { X509_NAME_free(p); }
};
using name_ptr = std::unique_ptr<X509_NAME, name_deleter>;

// "UBND xã Nghi Phong" and "Nghệ An" in UTF-8.
const std::string commune_utf8 = "UBND x\xC3\xA3 Nghi Phong";
const std::string province_utf8 = "Ngh\xE1\xBB\x87 An";

// Adds one entry whose value has exactly this ASN.1 string type and these content bytes.
void add_entry(X509_NAME* name, const char* field, int type, const std::string& bytes) {
    REQUIRE(X509_NAME_add_entry_by_txt(name, field, type,
                                       reinterpret_cast<const unsigned char*>(bytes.data()),
                                       static_cast<int>(bytes.size()), -1, 0) == 1);
}

// UTF-16BE of a Latin-1/BMP text given as code points, the content of a BMPString.
std::string bmp(std::initializer_list<char16_t> code_units) {
    std::string out;
    for (char16_t u : code_units) {
        out += static_cast<char>(u >> 8);
        out += static_cast<char>(u & 0xFF);
    }
    return out;
}

// A self-signed EC certificate with this subject (and issuer), valid now.
x509_ptr self_signed(X509_NAME* subject) {
    evp_pkey_ptr key{EVP_EC_gen("P-256")};
    REQUIRE(key);
    x509_ptr cert{X509_new()};
    REQUIRE(cert);
    REQUIRE(X509_set_version(cert.get(), 2) == 1);
    REQUIRE(ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1) == 1);
    REQUIRE(X509_set_subject_name(cert.get(), subject) == 1);
    REQUIRE(X509_set_issuer_name(cert.get(), subject) == 1);
    REQUIRE(X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) != nullptr);
    REQUIRE(X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600) != nullptr);
    REQUIRE(X509_set_pubkey(cert.get(), key.get()) == 1);
    REQUIRE(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0);
    return cert;
}

}  // namespace

TEST_CASE("distinguished names come out as readable UTF-8 for every string type",
          "[unit][crypto]") {
    name_ptr name{X509_NAME_new()};
    REQUIRE(name);
    add_entry(name.get(), "C", V_ASN1_PRINTABLESTRING, "VN");

    SECTION("UTF8String") {
        add_entry(name.get(), "O", V_ASN1_UTF8STRING, province_utf8);
        add_entry(name.get(), "CN", V_ASN1_UTF8STRING, commune_utf8);
        CHECK(name_text(name.get()) == "CN=" + commune_utf8 + ",O=" + province_utf8 + ",C=VN");
    }
    SECTION("BMPString") {
        add_entry(name.get(), "O", V_ASN1_BMPSTRING,
                  bmp({u'N', u'g', u'h', 0x1EC7, u' ', u'A', u'n'}));
        add_entry(name.get(), "CN", V_ASN1_BMPSTRING,
                  bmp({u'U', u'B', u'N', u'D', u' ', u'x', 0x00E3, u' ', u'N', u'g', u'h', u'i',
                       u' ', u'P', u'h', u'o', u'n', u'g'}));
        CHECK(name_text(name.get()) == "CN=" + commune_utf8 + ",O=" + province_utf8 + ",C=VN");
    }
    SECTION("RFC 4514 special characters and control characters stay escaped") {
        add_entry(name.get(), "CN", V_ASN1_UTF8STRING, "a,b+c\x01" + commune_utf8);
        CHECK(name_text(name.get()) == "CN=a\\,b\\+c\\01" + commune_utf8 + ",C=VN");
    }
    SECTION("a certificate's subject goes through the same helper") {
        add_entry(name.get(), "CN", V_ASN1_BMPSTRING, bmp({u'x', 0x00E3}));
        auto cert = self_signed(name.get());
        CHECK(subject_rfc2253(cert.get()) == "CN=x\xC3\xA3,C=VN");
    }
    SECTION("a UTF8String that is not UTF-8 is never printed as invalid UTF-8") {
        add_entry(name.get(), "CN", V_ASN1_UTF8STRING, "x\xC3(");
        const auto text = name_text(name.get());
        CHECK(text.rfind("CN=", 0) == 0);
        CHECK(text.find("\xC3(") == std::string::npos);
    }
}

TEST_CASE("a refused signer is named in readable UTF-8 in the problem detail", "[unit][crypto]") {
    name_ptr name{X509_NAME_new()};
    REQUIRE(name);
    add_entry(name.get(), "CN", V_ASN1_BMPSTRING,
              bmp({u'U', u'B', u'N', u'D', u' ', u'x', 0x00E3, u' ', u'N', u'g', u'h', u'i', u' ',
                   u'P', u'h', u'o', u'n', u'g'}));
    auto stranger = self_signed(name.get());  // chains to no anchor of the test PKI

    const trust_store store{t::test_trust()};
    auto refused = store.material()->check_chain(stranger.get(), {}, std::nullopt, false, "");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == errc::certificate_untrusted);
    CHECK(refused.error().message.find("\"CN=" + commune_utf8 + "\"") != std::string::npos);
    CHECK(refused.error().message.find("\\C3") == std::string::npos);
}
