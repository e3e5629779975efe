// lienthongctl validate and --help, run as the real binary.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "security/ctl.hpp"
#include "support/bus_process.hpp"
#include "support/test_pki.hpp"

using namespace lienthong;
namespace fs = std::filesystem;

namespace {

const std::string real_dir = std::string{LIENTHONG_TEST_DATA_DIR} + "/edxml-real";

std::string validate_args(const std::vector<std::string>& files) {
    std::string args = "validate --schemas " + test::quoted(LIENTHONG_SOURCE_DIR "/schemas");
    for (const auto& f : files) {
        args += " " + test::quoted(f);
    }
    return args;
}

}  // namespace

TEST_CASE("lienthongctl validate tells status from edoc packets by content - not by name",
          "[unit]") {
    const auto dir = test::make_temp_dir("lienthong-validate");
    // Misleading names: the content decides.
    fs::copy_file(real_dir + "/status/sdk_status_03.edxml", dir + "/edoc-reply.edxml");
    fs::copy_file(real_dir + "/edoc/sdk_new_3to_3att_sig.edxml", dir + "/status-03.edxml");
    std::string no_description = test::read_file(real_dir + "/status/sdk_status_02.edxml");
    const auto at = no_description.find("<edXML:Description>");
    REQUIRE(at != std::string::npos);
    no_description.erase(at, no_description.find("</edXML:Description>") + 20 - at);
    std::ofstream(dir + "/no-description.edxml") << no_description;

    const auto run = test::run_ctl(validate_args(
        {dir + "/edoc-reply.edxml", dir + "/status-03.edxml", dir + "/no-description.edxml"}));
    INFO(run.output);
    REQUIRE(run.verdicts.size() == 3);
    CHECK(run.verdicts[0].at("kind") == "status");
    CHECK(run.verdicts[1].at("kind") == "edoc");
    CHECK(run.verdicts[2].at("kind") == "status");
    for (const auto& v : run.verdicts) {
        CHECK(v.at("valid").as_bool());
    }
    CHECK(run.exit_code == 0);

    SECTION("each kind against its own schema: a status code an edoc cannot hold") {
        std::string bad = test::read_file(real_dir + "/status/sdk_status_03.edxml");
        bad.replace(bad.find("<edXML:StatusCode>03<"), 21, "<edXML:StatusCode>07<");
        std::ofstream(dir + "/bad-code.edxml") << bad;
        const auto refused = test::run_ctl(validate_args({dir + "/bad-code.edxml"}));
        REQUIRE(refused.verdicts.size() == 1);
        CHECK(refused.verdicts[0].at("kind") == "status");
        CHECK(refused.verdicts[0].at("type") == "schema-invalid");
        CHECK(refused.exit_code == 1);
    }
    SECTION("not well-formed: no kind, malformed-xml") {
        const auto refused = test::run_ctl(
            validate_args({real_dir + "/edoc/truclienthong_edoc_not-well-formed.edxml"}));
        REQUIRE(refused.verdicts.size() == 1);
        CHECK_FALSE(refused.verdicts[0].contains("kind"));
        CHECK(refused.verdicts[0].at("type") == "malformed-xml");
        CHECK(refused.exit_code == 1);
    }
    fs::remove_all(dir);
}

TEST_CASE("lienthongctl COMMAND --help prints help and exits 0 for every command", "[unit]") {
    const auto dir = test::make_temp_dir("lienthong-help");
    for (const char* command :
         {"sign", "validate", "verify", "hash-token", "definitions", "queues", "dead-letters",
          "replay", "document", "verify-pdf", "inspect", "report"}) {
        for (const char* flag : {"--help", "-h"}) {
            INFO(command << " " << flag);
            const std::string out = dir + "/out.txt";
            const std::string cmd = std::string("'") + LIENTHONG_CTL_EXE + "' " + command + " " +
                                    flag + " > '" + out + "' 2>/dev/null";
            const int status = std::system(cmd.c_str());
            REQUIRE(WIFEXITED(status));
            CHECK(WEXITSTATUS(status) == 0);
            CHECK_THAT(test::read_file(out), Catch::StartsWith("usage: lienthongctl"));
        }
    }
    const int status =
        std::system((std::string("'") + LIENTHONG_CTL_EXE + "' --help > /dev/null 2>&1").c_str());
    CHECK(WEXITSTATUS(status) == 0);
    fs::remove_all(dir);
}

TEST_CASE("lienthongctl validate says why a file cannot be read - and set-up errors exit 2",
          "[unit]") {
    const auto dir = test::make_temp_dir("lienthong-validate");
    const auto run =
        test::run_ctl(validate_args({dir, dir + "/missing.edxml", real_dir + "/MANIFEST.tsv"}));
    INFO(run.output);
    REQUIRE(run.verdicts.size() == 3);  // a folder among the files is a verdict, not a crash
    CHECK(run.verdicts[0].at("detail") == "is a folder, not a packet file");
    CHECK(run.verdicts[1].at("type") == "not-found");
    CHECK(run.verdicts[1].at("detail") == "no such file");
    CHECK(run.verdicts[2].at("type") == "malformed-xml");
    CHECK(run.exit_code == 1);

    const auto no_schemas = test::run_ctl("validate --schemas " + test::quoted(dir + "/none") +
                                          " " + test::quoted(real_dir + "/MANIFEST.tsv"));
    CHECK(no_schemas.exit_code == 2);
    CHECK(no_schemas.verdicts.empty());
}
