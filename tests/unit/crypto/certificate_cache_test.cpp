#include "crypto/certificate_cache.hpp"

#include <openssl/x509.h>

#include <catch2/catch.hpp>
#include <string>

#include "support/test_pki.hpp"

namespace {

using lienthong::bus::crypto::certificate_cache;
namespace crypto = lienthong::bus::crypto;
namespace t = lienthong::test;

std::string der_of(const std::string& pem_path) {
    auto certs = crypto::load_certificates(pem_path);
    REQUIRE(certs);
    REQUIRE(!certs->empty());
    unsigned char* der = nullptr;
    const int size = i2d_X509(certs->front().get(), &der);
    REQUIRE(size > 0);
    std::string bytes(reinterpret_cast<char*>(der), static_cast<std::size_t>(size));
    OPENSSL_free(der);
    return bytes;
}

}  // namespace

TEST_CASE("certificate_cache decodes each signer certificate once and stays bounded",
          "[unit][crypto]") {
    const std::string commune = der_of(t::agency_cert("000.01.01.H41"));
    const std::string province = der_of(t::agency_cert("000.00.00.H41"));
    certificate_cache cache{2};

    auto first = cache.get(commune);
    auto again = cache.get(commune);
    REQUIRE(first);
    REQUIRE(again);
    CHECK(first.get() == again.get());  // the same decoded object, each caller its own reference
    CHECK(crypto::subject_uid(again.get()) == "000.01.01.H41");
    first.reset();
    CHECK(crypto::subject_uid(again.get()) == "000.01.01.H41");

    SECTION("bytes that are not a certificate give nullptr and are not kept") {
        CHECK_FALSE(cache.get("not a certificate"));
        CHECK_FALSE(cache.get(commune.substr(0, commune.size() / 2)));
        CHECK(cache.size() == 1);
    }
    SECTION("a full cache starts over instead of growing") {
        auto other = cache.get(province);
        REQUIRE(other);
        CHECK(crypto::subject_uid(other.get()) == "000.00.00.H41");
        CHECK(cache.size() == 2);
        auto third = cache.get(der_of(t::special_cert("expired")));
        REQUIRE(third);
        CHECK(cache.size() == 1);
        CHECK(crypto::subject_uid(other.get()) == "000.00.00.H41");  // still usable by holders
    }
}
