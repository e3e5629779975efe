// The trust policy end to end: each hostile edXML packet gets its own problem type from
// `lienthongctl verify` and the same one from the real bus over REST; CRLs and their reload;
// the signer bound to the sender.
#include <signal.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "crypto/openssl.hpp"
#include "crypto/signature_verifier.hpp"
#include "pipeline/signer_binding.hpp"
#include "security/ctl.hpp"
#include "security/hostile_packets.hpp"
#include "support/bus_process.hpp"
#include "support/http_client.hpp"
#include "support/rabbitmq.hpp"
#include "support/test_pki.hpp"

using namespace lienthong;
namespace fs = std::filesystem;

namespace {

const std::string pki = LIENTHONG_TEST_PKI_DIR;
const std::string ctl_trust =
    "--trust " + pki + "/trust --intermediates " + pki + "/intermediates --crl " + pki + "/crl";

void write_file(const fs::path& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
    REQUIRE(out);
}

// Each packet written to DIR/<name>.edxml; returns the paths, in packet order.
std::vector<std::string> write_packets(const std::string& dir,
                                       const std::vector<test::hostile_packet>& packets) {
    std::vector<std::string> files;
    for (const auto& p : packets) {
        files.push_back(dir + "/" + p.name + ".edxml");
        write_file(files.back(), p.bytes);
    }
    return files;
}

std::string verify_args(const std::vector<std::string>& files) {
    std::string args = "verify " + ctl_trust;
    for (const auto& f : files) {
        args += " " + test::quoted(f);
    }
    return args;
}

std::string fingerprint_of(const std::string& pem) {
    auto certs = bus::crypto::load_certificates(pem);
    REQUIRE(certs);
    return bus::crypto::sha256_fingerprint(certs->front().get());
}

// The bus's test config with trust.crl_dir set (test_config has no hook inside trust:).
std::string config_with_crl_dir(const std::string& crl_dir) {
    std::string config = test::test_config(test::test_amqp_port());
    const std::string key = "/intermediates\n";
    const auto at = config.find(key);
    REQUIRE(at != std::string::npos);
    config.insert(at + key.size(), "  crl_dir: " + crl_dir + "\n");
    return config;
}

std::string problem_type(const test::http_reply& r) {
    if (r.status == 202) {
        return "";
    }
    return std::string(boost::json::parse(r.body).as_object().at("type").as_string());
}

}  // namespace

TEST_CASE("lienthongctl verify: each hostile packet gets its own problem type", "[security]") {
    const auto packets = test::hostile_packets();
    const auto dir = test::make_temp_dir("lienthong-hostile");
    const auto files = write_packets(dir, packets);
    const auto run = test::run_ctl(verify_args(files));
    INFO(run.output);
    REQUIRE(run.verdicts.size() == packets.size());
    for (std::size_t i = 0; i < packets.size(); ++i) {
        const auto& verdict = run.verdicts[i];
        INFO(packets[i].name << ": " << boost::json::serialize(verdict));
        CHECK(verdict.at("file").as_string() == files[i]);
        CHECK(verdict.at("valid").as_bool() == packets[i].type.empty());
        if (!packets[i].type.empty()) {
            CHECK(verdict.at("type").as_string() == packets[i].type);
            CHECK_FALSE(verdict.at("detail").as_string().empty());
        }
    }
    CHECK(run.exit_code == 1);

    SECTION("exit 0 only when every file is valid") {
        CHECK(test::run_ctl(verify_args({files[0]})).exit_code == 0);
    }
    SECTION("validate checks the schema only: a tampered but well-formed packet passes") {
        const auto validated =
            test::run_ctl("validate " + test::quoted(dir + "/changed-subject.edxml"));
        CHECK(validated.exit_code == 0);
        const auto schema_bad =
            test::run_ctl("validate " + test::quoted(dir + "/schema-invalid.edxml"));
        REQUIRE(schema_bad.verdicts.size() == 1);
        CHECK(schema_bad.verdicts[0].at("type") == "schema-invalid");
    }
    fs::remove_all(dir);
}

TEST_CASE("the bus answers each hostile packet over REST as lienthongctl verify does",
          "[security]") {
    const auto packets = test::hostile_packets();
    const auto dir = test::make_temp_dir("lienthong-hostile");
    const auto files = write_packets(dir, packets);
    const auto offline = test::run_ctl(verify_args(files));
    REQUIRE(offline.verdicts.size() == packets.size());

    test::bus_process bus(config_with_crl_dir(pki + "/crl"));
    for (std::size_t i = 0; i < packets.size(); ++i) {
        const auto reply =
            test::post_document(bus.port(), test::token_of(test::commune1), packets[i].bytes);
        const auto& verdict = offline.verdicts[i];
        const std::string ctl_type =
            verdict.at("valid").as_bool() ? "" : std::string(verdict.at("type").as_string());
        INFO(packets[i].name << ": HTTP " << reply.status << " " << reply.body);
        CHECK(problem_type(reply) == packets[i].type);
        CHECK(problem_type(reply) == ctl_type);
        if (!packets[i].type.empty()) {
            CHECK(reply.headers.at("content-type") == "application/problem+json");
            CHECK((reply.status == 400 || reply.status == 422));
        }
    }
    fs::remove_all(dir);
}

TEST_CASE("CRLs: a revoked signer is refused - and SIGHUP reloads the CRL folder", "[security]") {
    const std::string revoked =
        test::sign_sample(test::sample_path("edoc-new.edxml"), test::special_key("revoked"),
                          test::special_chain("revoked"));
    const auto crl_dir = test::make_temp_dir("lienthong-crl");
    fs::copy_file(pki + "/crl-none/intermediate.crl.pem", crl_dir + "/intermediate.crl.pem");

    SECTION("the verifier: reload() swaps the CRLs, a broken folder keeps the old ones") {
        auto options = test::test_trust();
        options.crls = {crl_dir};
        bus::crypto::signature_verifier verifier{options};
        auto doc = test::parse_xml(revoked);
        REQUIRE(verifier.verify_edxml(doc.get()));

        fs::copy_file(pki + "/crl/intermediate.crl.pem", crl_dir + "/intermediate.crl.pem",
                      fs::copy_options::overwrite_existing);
        CHECK(verifier.verify_edxml(doc.get()));  // read at (re)load only
        verifier.reload();
        auto refused = verifier.verify_edxml(doc.get());
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == core::errc::certificate_revoked);
        CHECK(refused.error().message.find("revoked") != std::string::npos);
        auto good = test::parse_xml(
            test::signed_sample(test::sample_path("edoc-new.edxml"), test::commune1));
        CHECK(verifier.verify_edxml(good.get()));

        write_file(crl_dir + "/broken.crl", "not a CRL");
        CHECK_THROWS_AS(verifier.reload(), std::runtime_error);
        CHECK(verifier.verify_edxml(doc.get()).error().code == core::errc::certificate_revoked);
        CHECK(verifier.verify_edxml(good.get()));
    }
    SECTION("fail closed: with a CRL folder, an issuer without a CRL is not trusted") {
        fs::remove(crl_dir + "/intermediate.crl.pem");
        auto options = test::test_trust();
        options.crls = {crl_dir};
        bus::crypto::signature_verifier verifier{options};
        auto good = test::parse_xml(
            test::signed_sample(test::sample_path("edoc-new.edxml"), test::commune1));
        auto refused = verifier.verify_edxml(good.get());
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == core::errc::certificate_untrusted);
        CHECK(refused.error().message.find("CRL") != std::string::npos);
    }
    SECTION("the bus: accepted before, refused after SIGHUP, without a restart") {
        test::bus_process bus(config_with_crl_dir(crl_dir));
        auto before = test::post_document(bus.port(), test::token_of(test::commune1), revoked);
        INFO(before.body << "\n" << bus.log());
        REQUIRE(before.status == 202);

        fs::copy_file(pki + "/crl/intermediate.crl.pem", crl_dir + "/intermediate.crl.pem",
                      fs::copy_options::overwrite_existing);
        REQUIRE(::kill(bus.pid(), SIGHUP) == 0);
        bool reloaded = false;
        for (int i = 0; i < 500 && !reloaded; ++i) {  // bounded: 10 s
            reloaded = bus.log().find("\"event\":\"trust.reloaded\"") != std::string::npos;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        REQUIRE(reloaded);
        auto after = test::post_document(bus.port(), test::token_of(test::commune1), revoked);
        INFO(after.body);
        CHECK(after.status == 422);
        CHECK(problem_type(after) == "certificate-revoked");
        CHECK(test::http_call(bus.port(), "GET", "/healthz").status == 200);
    }
    fs::remove_all(crl_dir);
}

TEST_CASE("the signer is bound to the sender by UID or by a directory fingerprint", "[security]") {
    const std::string district = "000.00.01.H41";
    bus::crypto::signer_info signer{"CN=x,UID=" + district, district,
                                    fingerprint_of(test::agency_cert(district))};

    SECTION("check_signer_is_sender") {
        CHECK(bus::pipeline::check_signer_is_sender(signer, district, nullptr));
        auto refused = bus::pipeline::check_signer_is_sender(signer, test::commune1, nullptr);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == core::errc::signer_not_sender);
        CHECK(refused.error().message.find(signer.sha256_fingerprint) != std::string::npos);

        bus::routing::agency listed;
        listed.code = test::commune1;
        listed.name = "UBND xa Nghi Phong";
        listed.fingerprints = {signer.sha256_fingerprint};
        const bus::routing::directory directory({listed});
        CHECK(bus::pipeline::check_signer_is_sender(signer, test::commune1, &directory));
        signer.sha256_fingerprint[0] = signer.sha256_fingerprint[0] == 'a' ? 'b' : 'a';
        CHECK_FALSE(bus::pipeline::check_signer_is_sender(signer, test::commune1, &directory));
    }
    SECTION("lienthongctl verify --directory: a listed fingerprint admits the certificate") {
        const auto dir = test::make_temp_dir("lienthong-binding");
        const std::string packet = dir + "/by-district.edxml";
        write_file(packet, test::signed_sample(test::sample_path("edoc-new.edxml"), district));

        std::string agencies = test::read_file(LIENTHONG_SOURCE_DIR "/deploy/config/agencies.yaml");
        const std::string code_line = "- code: " + std::string(test::commune1) + "\n";
        const auto at = agencies.find(code_line);
        REQUIRE(at != std::string::npos);
        agencies.insert(at + code_line.size(),
                        "    fingerprints: [" + signer.sha256_fingerprint + "]\n");
        write_file(dir + "/agencies.yaml", agencies);

        const auto without = test::run_ctl(verify_args({packet}));
        REQUIRE(without.verdicts.size() == 1);
        CHECK(without.verdicts[0].at("type") == "signer-not-sender");
        const auto with =
            test::run_ctl("verify --directory " + test::quoted(dir + "/agencies.yaml") + " " +
                          verify_args({packet}).substr(7));
        INFO(with.output);
        REQUIRE(with.verdicts.size() == 1);
        CHECK(with.verdicts[0].at("valid").as_bool());
        fs::remove_all(dir);
    }
}
