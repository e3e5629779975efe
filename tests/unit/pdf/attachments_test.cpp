// Attachments of a packet into files (base64, zip with bounds) and into document verdicts:
// zipped PDFs, Vietnamese file names, non-PDF files, zip bombs, the compact summary.
#include "xml/attachments.hpp"

#include <openssl/evp.h>
#include <zip.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "pdf/attachment_decoder.hpp"
#include "pdf/pdf_verifier.hpp"
#include "support/pdf_signing.hpp"
#include "support/test_pki.hpp"

namespace {

using namespace lienthong::bus::pdf;
using lienthong::core::errc;
namespace t = lienthong::test;

std::string base64(const std::string& bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(bytes.data()),
                                  static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

// A zip archive (deflate) made with libzip in memory from (name, bytes) pairs.
std::string make_zip(const std::vector<std::pair<std::string, std::string>>& files) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* out = zip_source_buffer_create(nullptr, 0, 0, &error);
    REQUIRE(out != nullptr);
    zip_source_keep(out);
    zip_t* z = zip_open_from_source(out, ZIP_TRUNCATE, &error);
    REQUIRE(z != nullptr);
    for (const auto& [name, bytes] : files) {
        zip_source_t* s = zip_source_buffer(z, bytes.data(), bytes.size(), 0);
        REQUIRE(zip_file_add(z, name.c_str(), s, ZIP_FL_ENC_UTF_8) >= 0);
    }
    REQUIRE(zip_close(z) == 0);
    zip_stat_t st;
    REQUIRE(zip_source_stat(out, &st) == 0);
    REQUIRE(zip_source_open(out) == 0);
    std::string archive(st.size, '\0');
    REQUIRE(zip_source_read(out, archive.data(), st.size) == static_cast<zip_int64_t>(st.size));
    zip_source_close(out);
    zip_source_free(out);
    zip_error_fini(&error);
    return archive;
}

const lienthong::bus::crypto::trust_material& document_trust() {
    static const lienthong::bus::crypto::trust_material material{t::test_trust()};
    return material;
}

}  // namespace

TEST_CASE("attachments: base64 with line breaks decodes - garbage does not", "[unit][pdf]") {
    auto ok = decode_base64("SGVs\nbG8s\r\n IHdv cmxk");
    REQUIRE(ok);
    CHECK(*ok ==
          "Hello, wo"
          "rld");
    auto padded = decode_base64("YQ==");
    REQUIRE(padded);
    CHECK(*padded == "a");
    CHECK_FALSE(decode_base64("YQ=a"));
    CHECK_FALSE(decode_base64("Y$=="));
    CHECK_FALSE(decode_base64("YQ="));
}

TEST_CASE("attachments: a zipped signed PDF with a Vietnamese name is verified inside the zip",
          "[unit][pdf]") {
    const auto pdf = t::pdfsig_sign(t::make_pdf("Quyet dinh"), t::agency_dir("000.01.01.H41"));
    const std::string name = "Quyết định số 12-QĐ-UBND.pdf";
    const auto zip = make_zip({{name, pdf}, {"ghi chú.txt", "chỉ là văn bản"}});
    const std::vector<lienthong::bus::xml::encoded_attachment> attachments{
        {"cid:qd12", "Quyết định 12.zip", "application/zip", base64(zip)}};
    const auto v = verify_attachments(attachments, document_trust(), std::time(nullptr));
    REQUIRE(v.size() == 2);
    CHECK(v[0].entry == name);
    CHECK(v[0].name == "Quyết định 12.zip");
    CHECK(v[0].state == document_state::signed_valid);
    CHECK(v[1].entry == "ghi chú.txt");
    CHECK(v[1].state == document_state::not_pdf);
    CHECK(compact_summary(v) == "signed=1,signed-invalid=0,unsigned=0,not-pdf=1");
    const auto json = boost::json::serialize(to_json(v));
    CHECK(json.find("Quyết định số 12-QĐ-UBND.pdf") != std::string::npos);
}

TEST_CASE("attachments: zip bombs stop at the bounds", "[unit][pdf]") {
    decode_limits limits;
    limits.max_file_bytes = 4 * 1024 * 1024;
    limits.max_total_bytes = 6 * 1024 * 1024;
    limits.max_entries = 8;
    SECTION("one entry inflating far past its ratio") {
        const auto zip = make_zip({{"bomb.pdf", std::string(32 * 1024 * 1024, '\0')}});
        REQUIRE(zip.size() < 100 * 1024);
        auto files = unzip(zip, limits);
        REQUIRE_FALSE(files);
        CHECK(files.error().code == errc::payload_too_large);
    }
    SECTION("entries that together pass the total") {
        std::vector<std::pair<std::string, std::string>> entries;
        for (int i = 0; i < 4; ++i) {
            std::string bytes(2 * 1024 * 1024, '\0');
            std::uint32_t x = 12345u + static_cast<std::uint32_t>(i);
            for (auto& b : bytes) {  // does not compress: only the total bound can stop it
                x = x * 1664525u + 1013904223u;
                b = static_cast<char>(x >> 24);
            }
            entries.emplace_back("part" + std::to_string(i), bytes);
        }
        auto files = unzip(make_zip(entries), limits);
        REQUIRE_FALSE(files);
        CHECK(files.error().code == errc::payload_too_large);
    }
    SECTION("too many entries") {
        std::vector<std::pair<std::string, std::string>> entries;
        for (int i = 0; i < 9; ++i) {
            entries.emplace_back("f" + std::to_string(i), "x");
        }
        auto files = unzip(make_zip(entries), limits);
        REQUIRE_FALSE(files);
        CHECK(files.error().code == errc::payload_too_large);
    }
    SECTION("a bomb in a packet is one not-pdf verdict saying why") {
        const auto zip = make_zip({{"bomb.pdf", std::string(32 * 1024 * 1024, '\0')}});
        verify_limits all;
        all.decode = limits;
        const auto v = verify_attachments({{"cid:b", "b.zip", "", base64(zip)}}, document_trust(),
                                          std::time(nullptr), all);
        REQUIRE(v.size() == 1);
        CHECK(v[0].state == document_state::not_pdf);
        CHECK(v[0].detail.find("bound") != std::string::npos);
    }
}

TEST_CASE("attachments: read from a packet in order with the manifest", "[unit][pdf]") {
    const auto doc = t::parse_xml(t::read_file(t::sample_path("edoc-new.edxml")));
    const auto attachments = lienthong::bus::xml::read_attachments(doc.get());
    REQUIRE(attachments.size() == 1);
    CHECK(attachments[0].content_id == "cid:bao-cao-lua.pdf");
    CHECK(attachments[0].name == "bao-cao-lua.pdf");
    CHECK(attachments[0].content_type == "application/pdf");
    CHECK(lienthong::bus::xml::manifest_content_ids(doc.get()) ==
          std::vector<std::string>{"cid:bao-cao-lua.pdf"});
    const auto v = verify_attachments(attachments, document_trust(), std::time(nullptr));
    REQUIRE(v.size() == 1);
    CHECK(v[0].state != document_state::signed_valid);
}
