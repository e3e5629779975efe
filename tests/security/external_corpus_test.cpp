// The third-party XML-DSig corpus through `lienthongctl verify --generic`, driven by
// external_corpus.tsv (one manifest check per line, with its expected verdict and type).
#include <catch2/catch.hpp>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "security/ctl.hpp"

namespace {

const std::string corpus_dir = LIENTHONG_TEST_DATA_DIR "/external";

struct corpus_check {
    std::string id;
    bool valid = false;
    std::string type;
    std::string args;
};

std::vector<corpus_check> read_table() {
    std::ifstream in(LIENTHONG_SOURCE_DIR "/tests/security/external_corpus.tsv");
    REQUIRE(in);
    std::vector<corpus_check> checks;
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#') {
            continue;
        }
        std::istringstream fields(line);
        corpus_check c;
        std::string expect;
        REQUIRE(std::getline(fields, c.id, '\t'));
        REQUIRE(std::getline(fields, expect, '\t'));
        REQUIRE(std::getline(fields, c.type, '\t'));
        REQUIRE(std::getline(fields, c.args));
        REQUIRE((expect == "valid" || expect == "invalid"));
        c.valid = expect == "valid";
        c.args = std::regex_replace(c.args, std::regex(R"(\{pki\})"), LIENTHONG_TEST_PKI_DIR);
        checks.push_back(std::move(c));
    }
    return checks;
}

}  // namespace

TEST_CASE("external XML-DSig corpus: every manifest check gives its verdict", "[security]") {
    const auto checks = read_table();
    REQUIRE(checks.size() == 42);
    const auto valid_count =
        std::count_if(checks.begin(), checks.end(), [](const auto& c) { return c.valid; });
    // The manifest's 21 valid checks less P10 (HMAC) and A6 (--insecure), invalid by policy.
    CHECK(valid_count == 19);

    for (const auto& check : checks) {
        DYNAMIC_SECTION(check.id) {
            const auto run = lienthong::test::run_ctl("verify --generic " + check.args, corpus_dir);
            INFO(check.id << ": verify --generic " << check.args << "\n" << run.output);
            REQUIRE(run.verdicts.size() == 1);
            auto& verdict = run.verdicts.front();
            CHECK(verdict.at("valid").as_bool() == check.valid);
            CHECK(run.exit_code == (check.valid ? 0 : 1));
            if (!check.valid) {
                CHECK(verdict.at("type").as_string() == check.type);
                CHECK_FALSE(verdict.at("detail").as_string().empty());
            }
        }
    }
}

TEST_CASE("external XML-DSig corpus: no option makes an unproven signer valid", "[security]") {
    const std::string hmac =
        "xmlsec/phaos-xmldsig-three/signature-hmac-sha1-exclusive-c14n-enveloped.xml";
    const std::string keyinfo_only = "xmlsec/aleksey-xmldsig-01/enveloped-x509-missing-cert.xml";

    SECTION("there is no --insecure: it is refused as bad usage, not run") {
        const auto run = lienthong::test::run_ctl(
            "verify --generic --allow-xpath --insecure " + keyinfo_only, corpus_dir);
        CHECK(run.exit_code == 2);
        CHECK(run.verdicts.empty());
    }
    SECTION("the signer's certificate in KeyInfo is not its own anchor, with any anchor set") {
        for (const std::string trust :
             {LIENTHONG_TEST_PKI_DIR "/trust", "xmlsec/keys/cacert.pem"}) {
            const auto run = lienthong::test::run_ctl(
                "verify --generic --allow-xpath --trust " + trust + " " + keyinfo_only, corpus_dir);
            INFO(run.output);
            REQUIRE(run.verdicts.size() == 1);
            CHECK_FALSE(run.verdicts[0].at("valid").as_bool());
            CHECK(run.verdicts[0].at("type") == "certificate-untrusted");
        }
    }
    SECTION("HMAC is refused with every permissive option, pinned key or anchors") {
        for (const std::string options :
             {"--allow-sha1 --allow-xpath --pin-cert xmlsec/phaos-xmldsig-three/certs/rsa-cert.der",
              "--allow-sha1 --trust xmlsec/phaos-xmldsig-three/certs/rsa-ca-cert.der --at "
              "\"2009-01-01 10:00:00\"",
              "--allow-sha1 --id-attr Id --trust " LIENTHONG_TEST_PKI_DIR "/trust"}) {
            const auto run =
                lienthong::test::run_ctl("verify --generic " + options + " " + hmac, corpus_dir);
            INFO(options << "\n" << run.output);
            REQUIRE(run.verdicts.size() == 1);
            CHECK(run.verdicts[0].at("type") == "algorithm-forbidden");
            CHECK(std::string(run.verdicts[0].at("detail").as_string()).find("HMAC") !=
                  std::string::npos);
        }
    }
}
