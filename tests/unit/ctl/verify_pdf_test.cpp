// lienthongctl verify-pdf and inspect (the real binary) on PDFs signed at test time.
#include <openssl/evp.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <regex>

#include "security/ctl.hpp"
#include "support/bus_process.hpp"
#include "support/pdf_signing.hpp"
#include "support/test_pki.hpp"

using namespace lienthong;

namespace {

void write(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
    REQUIRE(out);
}

std::string trust_args() {
    return "--trust " + test::quoted(test::anchors_dir()) + " --intermediates " +
           test::quoted(test::intermediates_dir()) + " --crl " +
           test::quoted(test::pki_dir() + "/crl");
}

}  // namespace

TEST_CASE("lienthongctl verify-pdf: one JSON line per PDF with its signers", "[unit]") {
    const auto dir = test::make_temp_dir("lienthong-verify-pdf");
    const auto plain = test::make_pdf("Thong bao");
    write(dir + "/signed.pdf", test::pdfsig_sign(plain, test::pki_dir() + "/person"));
    write(dir + "/unsigned.pdf", plain);
    write(dir + "/revoked.pdf", test::pdfsig_sign(plain, test::pki_dir() + "/revoked"));

    const auto ok = test::run_ctl("verify-pdf " + trust_args() + " signed.pdf", dir);
    INFO(ok.output);
    REQUIRE(ok.verdicts.size() == 1);
    CHECK(ok.exit_code == 0);
    CHECK(ok.verdicts[0].at("state") == "signed");
    CHECK(ok.verdicts[0].at("signatures").at(0).at("signer").at("name") == "Nguyễn Thị Ánh Tuyết");
    CHECK(ok.output.find("\\u") == std::string::npos);  // UTF-8 as it is, not escaped

    const auto mixed =
        test::run_ctl("verify-pdf " + trust_args() + " unsigned.pdf revoked.pdf nothing.pdf", dir);
    INFO(mixed.output);
    REQUIRE(mixed.verdicts.size() == 3);
    CHECK(mixed.exit_code == 1);
    CHECK(mixed.verdicts[0].at("state") == "unsigned");
    CHECK(mixed.verdicts[1].at("state") == "signed-invalid");
    CHECK(mixed.verdicts[1].at("signatures").at(0).at("status") == "certificate-revoked");
    CHECK(mixed.verdicts[2].at("state") == "unreadable");

    CHECK(test::run_ctl("verify-pdf --trust", dir).exit_code == 2);
    CHECK(test::run_ctl("verify-pdf --trust /nonexistent/lienthong signed.pdf", dir).exit_code ==
          2);
}

TEST_CASE("lienthongctl inspect: the attachments of a packet and their verdicts", "[unit]") {
    const auto dir = test::make_temp_dir("lienthong-inspect");
    const auto pdf =
        test::pdfsig_sign(test::make_pdf("Quyet dinh"), test::agency_dir(test::commune1));
    std::string b64(4 * ((pdf.size() + 2) / 3) + 1, '\0');
    b64.resize(static_cast<std::size_t>(EVP_EncodeBlock(
        reinterpret_cast<unsigned char*>(b64.data()),
        reinterpret_cast<const unsigned char*>(pdf.data()), static_cast<int>(pdf.size()))));
    auto packet = test::read_file(test::sample_path("edoc-new.edxml"));
    packet = std::regex_replace(
        packet, std::regex("<edXML:ContentTransferEncoded>[^<]*</edXML:ContentTransferEncoded>"),
        "<edXML:ContentTransferEncoded>" + b64 + "</edXML:ContentTransferEncoded>");
    write(dir + "/packet.edxml", packet);
    const auto run = test::run_ctl("inspect " + trust_args() + " packet.edxml", dir);
    INFO(run.output);
    REQUIRE(run.verdicts.size() == 1);
    CHECK(run.exit_code == 0);
    CHECK(run.verdicts[0].at("summary") == "signed=1,signed-invalid=0,unsigned=0,not-pdf=0");
    CHECK(run.verdicts[0].at("attachments").at(0).at("name") == "bao-cao-lua.pdf");
    CHECK(run.verdicts[0].at("attachments").at(0).at("signatures").at(0).at("signer").at("uid") ==
          test::commune1);
    // The sample as it is: its attachment is a tiny unsigned PDF.
    write(dir + "/sample.edxml", test::read_file(test::sample_path("edoc-new.edxml")));
    CHECK(test::run_ctl("inspect " + trust_args() + " sample.edxml", dir).exit_code == 1);
}
