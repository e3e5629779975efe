// The trust store on its own: what it loads, the errors that name the bad file, reload keeping
// the old material, and the chain check against our anchors only.
#include "crypto/trust_store.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "support/bus_process.hpp"
#include "support/test_pki.hpp"

namespace {

using namespace lienthong::bus::crypto;
using lienthong::core::errc;
namespace t = lienthong::test;
namespace fs = std::filesystem;

void write_file(const fs::path& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
    REQUIRE(out);
}

// The runtime_error message of constructing a store from `options` ("" if it did not throw).
std::string load_error(const trust_options& options) {
    try {
        trust_store store{options};
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "";
}

x509_ptr first_cert(const std::string& pem) {
    auto certs = load_certificates(pem);
    REQUIRE(certs);
    return std::move(certs->front());
}

// A temporary folder, removed at the end of the test.
struct temp_dir {
    std::string path = t::make_temp_dir("lienthong-trust-store");
    ~temp_dir() { fs::remove_all(path); }
};

}  // namespace

TEST_CASE("trust_store loads anchors and intermediates and CRLs", "[unit][crypto]") {
    trust_store store{t::test_trust()};
    auto material = store.material();
    REQUIRE(material);
    CHECK(material->anchor_count() >= 1);
    CHECK(material->intermediate_count() >= 1);
    CHECK_FALSE(material->checks_revocation());
    CHECK(material->pinned_key() == nullptr);

    auto with_crls = t::test_trust();
    with_crls.crls = {t::pki_dir() + "/crl"};
    CHECK(trust_store{with_crls}.material()->checks_revocation());

    SECTION("a pinned signer needs no anchor") {
        trust_options pinned;
        pinned.pinned_signer = t::agency_cert("000.01.01.H41");
        trust_store only_one{pinned};
        CHECK(only_one.material()->pinned_key() != nullptr);
        CHECK(only_one.material()->pinned_certificate() != nullptr);
        CHECK(only_one.material()->anchor_count() == 0);
    }
    SECTION("the certificate cache decodes DER and refuses the rest") {
        auto cert = first_cert(t::agency_cert("000.01.01.H41"));
        unsigned char* der = nullptr;
        const int size = i2d_X509(cert.get(), &der);
        REQUIRE(size > 0);
        const std::string bytes(reinterpret_cast<char*>(der), static_cast<std::size_t>(size));
        OPENSSL_free(der);
        auto decoded = store.certificate(bytes);
        REQUIRE(decoded);
        CHECK(X509_cmp(decoded.get(), cert.get()) == 0);
        CHECK_FALSE(store.certificate("not a certificate"));
    }
}

TEST_CASE("trust_store load errors name the bad file or folder", "[unit][crypto]") {
    temp_dir dir;
    fs::copy_file(t::anchors_dir() + "/root.pem", dir.path + "/root.pem");

    SECTION("an anchor that is not a certificate") {
        write_file(dir.path + "/broken.pem", "not a certificate");
        const auto error = load_error({{dir.path}, {}, false, {}, {}});
        CHECK(error.find(dir.path + "/broken.pem") != std::string::npos);
    }
    SECTION("an intermediate that is not a certificate") {
        write_file(dir.path + "/bad-intermediate.crt", "junk");
        const auto error =
            load_error({{t::anchors_dir()}, {dir.path + "/bad-intermediate.crt"}, false, {}, {}});
        CHECK(error.find("bad-intermediate.crt") != std::string::npos);
    }
    SECTION("a CRL that is not a CRL") {
        write_file(dir.path + "/broken.crl", "not a CRL");
        const auto error = load_error({{t::anchors_dir()}, {}, false, {dir.path}, {}});
        CHECK(error.find(dir.path + "/broken.crl") != std::string::npos);
    }
    SECTION("a missing folder and a folder without anchors") {
        const std::string missing = dir.path + "/no-such-dir";
        CHECK(load_error({{missing}, {}, false, {}, {}}).find(missing) != std::string::npos);
        fs::remove(dir.path + "/root.pem");
        const auto error = load_error({{dir.path}, {}, false, {}, {}});
        CHECK(error.find("no trust anchor") != std::string::npos);
        CHECK(error.find(dir.path) != std::string::npos);
    }
    SECTION("files with other extensions are not read") {
        write_file(dir.path + "/README.txt", "notes");
        CHECK(load_error({{dir.path}, {}, false, {}, {}}).empty());
    }
}

TEST_CASE("trust_store reload swaps the material and keeps the old one on error",
          "[unit][crypto]") {
    temp_dir dir;
    fs::copy_file(t::pki_dir() + "/crl-none/intermediate.crl.pem",
                  dir.path + "/intermediate.crl.pem");
    auto options = t::test_trust();
    options.crls = {dir.path};
    trust_store store{options};
    auto revoked = first_cert(t::special_cert("revoked"));
    const auto before = store.material();
    CHECK(before->check_chain(revoked.get(), {}, std::nullopt, true, ""));

    write_file(dir.path + "/broken.crl", "not a CRL");
    CHECK_THROWS_AS(store.reload(), std::runtime_error);
    CHECK(store.material() == before);

    fs::remove(dir.path + "/broken.crl");
    fs::copy_file(t::pki_dir() + "/crl/intermediate.crl.pem", dir.path + "/intermediate.crl.pem",
                  fs::copy_options::overwrite_existing);
    store.reload();
    const auto after = store.material();
    CHECK(after != before);
    auto refused = after->check_chain(revoked.get(), {}, std::nullopt, true, "detail");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == errc::certificate_revoked);
    CHECK(refused.error().log_detail == "detail");
    // A verification that took the old material finishes with it.
    CHECK(before->check_chain(revoked.get(), {}, std::nullopt, true, ""));
}

TEST_CASE("trust_material check_chain trusts only our anchors", "[unit][crypto]") {
    trust_store store{t::test_trust(false)};
    const auto trust = store.material();
    auto commune = first_cert(t::agency_cert("000.01.01.H41"));

    SECTION("the intermediate may come from KeyInfo instead of the store") {
        auto missing = trust->check_chain(commune.get(), {}, std::nullopt, true, "");
        REQUIRE_FALSE(missing);
        CHECK(missing.error().code == errc::certificate_untrusted);
        auto chain = load_certificates(t::agency_chain("000.01.01.H41"));
        REQUIRE(chain);
        CHECK(trust->check_chain(commune.get(), *chain, std::nullopt, true, ""));
    }
    SECTION("a rogue root with the same UID and an expired signer") {
        auto rogue_chain = load_certificates(t::special_chain("rogue"));
        REQUIRE(rogue_chain);
        auto rogue =
            trust->check_chain(rogue_chain->front().get(), *rogue_chain, std::nullopt, true, "");
        REQUIRE_FALSE(rogue);
        CHECK(rogue.error().code == errc::certificate_untrusted);
        CHECK(rogue.error().message.find("UID=000.01.01.H41") != std::string::npos);

        auto expired_chain = load_certificates(t::special_chain("expired"));
        REQUIRE(expired_chain);
        CHECK(
            trust->check_chain(expired_chain->front().get(), *expired_chain, std::nullopt, true, "")
                .error()
                .code == errc::certificate_expired);
    }
    SECTION("a CA certificate has no signing key usage") {
        auto root = first_cert(t::anchors_dir() + "/root.pem");
        auto refused = trust->check_chain(root.get(), {}, std::nullopt, true, "");
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == errc::certificate_untrusted);
    }
}
