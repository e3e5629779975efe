// The documents' own signatures at ingest, against the real bus and RabbitMQ: the verdicts in the
// 202, on the journey, in the webhook's sidecar headers, in the signatures report and metrics;
// and the `required` policy's 422s. PDFs are signed at test time by pdfsig (support/pdf_signing).
#include <openssl/evp.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <fstream>
#include <regex>

#include "support/bus_process.hpp"
#include "support/http_client.hpp"
#include "support/pdf_signing.hpp"
#include "support/rabbitmq.hpp"
#include "support/test_pki.hpp"
#include "support/webhook_receiver.hpp"

using namespace lienthong;
using namespace std::chrono_literals;

namespace {

std::string base64(const std::string& bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(bytes.data()),
                                  static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

std::string percent_decode(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

/// The sample from commune1 to district1 with `pdf` as its one attachment (a Vietnamese file
/// name), its own DocumentId number, and the envelope signed by commune1.
std::string packet_with(const std::string& pdf, int number) {
    auto text = test::read_file(test::sample_path("edoc-new.edxml"));
    text = std::regex_replace(text, std::regex("125/UBND-VP"), std::to_string(number) + "/UBND-VP");
    text = std::regex_replace(
        text, std::regex("<edXML:ContentTransferEncoded>[^<]*</edXML:ContentTransferEncoded>"),
        "<edXML:ContentTransferEncoded>" + base64(pdf) + "</edXML:ContentTransferEncoded>");
    text = std::regex_replace(
        text, std::regex("<AttachmentName>bao-cao-lua.pdf</AttachmentName>"),
        "<AttachmentName>Quyết định số " + std::to_string(number) + ".pdf</AttachmentName>");
    return test::sign_bytes(text, test::agency_key(test::commune1),
                            test::agency_chain(test::commune1));
}

/// The six demo agencies; district1 receives by webhook at `url`; commune1's documents must be
/// signed by someone of commune1 when `required`.
std::string directory(const std::string& url, bool required) {
    auto path = test::write_directory({{test::district1, test::webhook_subscription(url)}});
    if (required) {
        auto text = test::read_file(path);
        const std::string commune = "  - code: " + std::string(test::commune1) + "\n";
        text.insert(text.find(commune) + commune.size(), "    document_signature: required\n");
        std::ofstream(path) << text;
    }
    return path;
}

boost::json::object get_json(unsigned short port, const std::string& target) {
    auto r = test::http_call(port, "GET", target, {},
                             {{"Authorization", "Bearer " + test::admin_token()}});
    INFO(target << " -> " << r.status << " " << r.body);
    REQUIRE(r.status == 200);
    return boost::json::parse(r.body).as_object();
}

}  // namespace

TEST_CASE("document signatures: verdicts in the 202 - the journey - the webhook - the report",
          "[integration]") {
    test::webhook_receiver receiver;
    test::bus_process bus(
        test::delivery_config(test::test_amqp_port(), directory(receiver.url(), false)));
    const auto pdf = test::pdfsig_sign(test::make_pdf("Quyet dinh"), test::pki_dir() + "/person");
    auto posted =
        test::post_document(bus.port(), test::token_of(test::commune1), packet_with(pdf, 901));
    INFO(posted.body << "\n" << bus.log());
    REQUIRE(posted.status == 202);
    const auto body = boost::json::parse(posted.body).as_object();
    CHECK(body.at("document_signatures") == "signed=1,signed-invalid=0,unsigned=0,not-pdf=0");
    const auto& doc = body.at("documents").as_array().at(0);
    CHECK(doc.at("state") == "signed");
    CHECK(doc.at("name") == "Quyết định số 901.pdf");
    const auto& sig = doc.at("signatures").as_array().at(0);
    CHECK(sig.at("status") == "valid");
    CHECK(sig.at("signer").at("name") == "Nguyễn Thị Ánh Tuyết");
    CHECK(sig.at("signer").at("uid") == test::commune1);
    const std::string id(body.at("id").as_string());

    REQUIRE(receiver.wait_delivered(1, 20s));
    const auto got = receiver.delivered().front();
    CHECK(got.document_signatures == "signed=1,signed-invalid=0,unsigned=0,not-pdf=0");
    const auto sidecar = boost::json::parse(percent_decode(got.document_verdicts));
    CHECK(sidecar.at(0).at("signatures").at(0).at("signer").at("name") == "Nguyễn Thị Ánh Tuyết");

    const auto journey = get_json(bus.port(), "/v1/admin/documents/" + id);
    bool seen = false;
    for (const auto& e : journey.at("events").as_array()) {
        seen = seen || (e.at("kind") == "signatures" && e.at("code") == "signed");
    }
    CHECK(seen);

    const auto report = get_json(bus.port(), "/v1/admin/reports/signatures");
    REQUIRE(report.at("agencies").as_array().size() == 1);
    CHECK(report.at("agencies").at(0).at("agency") == test::commune1);
    CHECK(report.at("total").at("signed").as_int64() == 1);
    CHECK(report.at("total").at("signed_share").as_double() == 1.0);
    const auto csv = test::http_call(bus.port(), "GET", "/v1/admin/reports/signatures?format=csv",
                                     {}, {{"Authorization", "Bearer " + test::admin_token()}});
    CHECK(csv.status == 200);
    CHECK(csv.body.find("000.01.01.H41,1,1,0,0,0,1.0000\r\n") != std::string::npos);
    const auto metrics = test::http_call(bus.port(), "GET", "/metrics", {},
                                         {{"Authorization", "Bearer " + test::admin_token()}});
    CHECK(metrics.body.find("lienthong_pdf_signatures_total{status=\"valid\"} 1") !=
          std::string::npos);
}

TEST_CASE("document signatures: under `required` the main PDF needs the sender's valid signature",
          "[integration]") {
    test::webhook_receiver receiver;
    test::bus_process bus(
        test::delivery_config(test::test_amqp_port(), directory(receiver.url(), true)));
    const auto plain = test::make_pdf("Cong van");
    auto post = [&](const std::string& pdf, int number) {
        return test::post_document(bus.port(), test::token_of(test::commune1),
                                   packet_with(pdf, number));
    };
    auto type_of = [](const test::http_reply& r) {
        INFO(r.body);
        return std::string(boost::json::parse(r.body).at("type").as_string());
    };
    SECTION("unsigned") {
        const auto r = post(plain, 911);
        CHECK(r.status == 422);
        CHECK(type_of(r).find("document-unsigned") != std::string::npos);
    }
    SECTION("signed by another agency") {
        const auto r = post(test::pdfsig_sign(plain, test::agency_dir(test::province)), 912);
        CHECK(r.status == 422);
        CHECK(type_of(r).find("document-signer-not-sender") != std::string::npos);
    }
    SECTION("signed by the sender, then changed") {
        auto pdf = test::pdfsig_sign(plain, test::agency_dir(test::commune1));
        pdf[test::offset_of(pdf, "Cong van")] = 'K';
        const auto r = post(pdf, 913);
        CHECK(r.status == 422);
        CHECK(type_of(r).find("document-signature-invalid") != std::string::npos);
    }
    SECTION("signed by someone of the sender") {
        const auto r = post(test::pdfsig_sign(plain, test::pki_dir() + "/person"), 914);
        INFO(r.body << "\n" << bus.log());
        CHECK(r.status == 202);
    }
}
